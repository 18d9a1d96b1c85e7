// The slash-command grammar: any bytes in, a command or an error with usage out, never a crash.
#include "commands/parse.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace incident_bot;

namespace {

// The input split at newlines, one line per field of the update form.
commands::UpdateFields update_fields_of(std::string_view text) {
  commands::UpdateFields fields;
  std::string* const slots[] = {&fields.symptom,    &fields.scope,      &fields.layer,
                                &fields.confidence, &fields.mitigation, &fields.next_check,
                                &fields.next_check_owner, &fields.next_update};
  for (std::string* slot : slots) {
    const auto newline = text.find('\n');
    *slot = std::string(text.substr(0, newline));
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
  return fields;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = commands::parse(text);
  if (const auto* error = std::get_if<commands::ParseError>(&parsed); error && error->message.empty()) __builtin_trap();
  (void)commands::update_from_fields(update_fields_of(text));
  (void)commands::find_verb(text.substr(0, text.find(' ')));
  return 0;
}
