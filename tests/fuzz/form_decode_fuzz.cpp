// Form bodies and query strings: decoding never crashes, and what is encoded decodes back to itself.
#include "bot/net/form.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace incident_bot;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto fields = bot::parse_form(text);
  const auto pairs = bot::parse_form_pairs(text);
  if (fields.has_value() != pairs.has_value()) __builtin_trap();
  if (fields) {
    for (const auto& [name, value] : *pairs)
      if (!fields->contains(name)) __builtin_trap();
    (void)bot::field(*fields, "text");
  }
  (void)bot::percent_decode(text);
  const auto round_trip = bot::percent_decode(bot::percent_encode(text));
  if (!round_trip || *round_trip != text) __builtin_trap();
  return 0;
}
