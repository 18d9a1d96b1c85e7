#include "bot/core/public_ids.hpp"

#include <random>
#include <string_view>

namespace incident_bot::bot {

std::string fresh_public_id() {
  constexpr std::string_view alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  thread_local std::mt19937_64 generator{std::random_device{}()};
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string id(12, ' ');
  for (auto& c : id) c = alphabet[pick(generator)];
  return id;
}

}  // namespace incident_bot::bot
