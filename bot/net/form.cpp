// Forms are split and decoded by Boost.URL: its query grammar and percent-decoding, '+' read as space.
#include "bot/net/form.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/params_encoded_view.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/pct_string_view.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace incident_bot::bot {

namespace {

namespace urls = boost::urls;

// application/x-www-form-urlencoded: '+' is a space; a NUL byte is data like any other.
const urls::encoding_opts form_encoding{true, false, false};

std::string decoded(urls::pct_string_view text) { return text.decode(form_encoding); }

}  // namespace

std::optional<std::string> percent_decode(std::string_view text) {
  const auto checked = urls::make_pct_string_view(urls::string_view(text.data(), text.size()));
  if (!checked) return std::nullopt;
  return decoded(*checked);
}

std::string percent_encode(std::string_view text) {
  return urls::encode(urls::string_view(text.data(), text.size()), urls::unreserved_chars);
}

std::optional<FormPairs> parse_form_pairs(std::string_view body) {
  // A form never holds a raw NUL, and Boost.URL 1.81's parse_query measures its input with strlen
  // (boostorg/url#946): it is given a NUL-terminated copy with no NUL inside.
  if (body.find('\0') != std::string_view::npos) return std::nullopt;
  const std::string terminated(body);
  const auto params = urls::parse_query(urls::string_view(terminated.data(), terminated.size()));
  if (!params) return std::nullopt;
  FormPairs pairs;
  for (const urls::param_pct_view param : *params) {
    if (param.key.empty() && !param.has_value) continue;  // "a=1&&b=2": the empty piece is no field
    pairs.emplace_back(decoded(param.key), param.has_value ? decoded(param.value) : std::string{});
  }
  return pairs;
}

std::optional<FormFields> parse_form(std::string_view body) {
  auto pairs = parse_form_pairs(body);
  if (!pairs) return std::nullopt;
  FormFields fields;
  for (auto& [name, value] : *pairs) fields.emplace(std::move(name), std::move(value));
  return fields;
}

std::string field(const FormFields& fields, std::string_view name) {
  const auto found = fields.find(name);
  return found == fields.end() ? std::string{} : found->second;
}

}  // namespace incident_bot::bot
