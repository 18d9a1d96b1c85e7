// The configuration file: JSON with comments, every key checked; any text gives a config or an error naming the key.
#include "bot/app/config.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace incident_bot;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bot::ConfigResult result = bot::parse_config(text);
  if (const auto* error = std::get_if<bot::ConfigError>(&result)) {
    if (error->message.empty()) __builtin_trap();
    (void)error->describe();
  }
  return 0;
}
