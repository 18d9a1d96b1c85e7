#include "bot/net/url.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace incident_bot::bot {

namespace {

struct SchemeDefault {
  std::string_view scheme;
  std::uint16_t port;
};

constexpr std::array<SchemeDefault, 4> known_schemes{{{"http", 80}, {"https", 443}, {"ws", 80}, {"wss", 443}}};

std::optional<std::uint16_t> default_port(std::string_view scheme) {
  for (const auto& known : known_schemes)
    if (known.scheme == scheme) return known.port;
  return std::nullopt;
}

std::string lowercase(std::string_view text) {
  std::string lowered(text);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lowered;
}

bool has_space_or_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; });
}

std::optional<std::uint16_t> parse_port(std::string_view digits) {
  if (digits.empty() || digits.size() > 5) return std::nullopt;
  unsigned value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc{} || end != digits.data() + digits.size() || value == 0 || value > 65535)
    return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

}  // namespace

std::string Url::host_header() const {
  std::string header = ipv6_literal() ? "[" + host + "]" : host;
  if (port != default_port(scheme)) header += ":" + std::to_string(port);
  return header;
}

std::optional<Url> parse_url(std::string_view text) {
  if (text.empty() || has_space_or_control(text)) return std::nullopt;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  Url url;
  url.scheme = lowercase(text.substr(0, scheme_end));
  const auto scheme_port = default_port(url.scheme);
  if (!scheme_port) return std::nullopt;

  auto rest = text.substr(scheme_end + 3);
  if (const auto fragment = rest.find('#'); fragment != std::string_view::npos) rest = rest.substr(0, fragment);
  const auto authority_end = rest.find_first_of("/?");
  const auto authority = rest.substr(0, authority_end);
  const auto target = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) return std::nullopt;

  std::string_view host;
  std::string_view port_text;
  bool port_given = false;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(1, close - 1);
    if (host.find(':') == std::string_view::npos) return std::nullopt;  // brackets hold IPv6 only
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port_text = after.substr(1);
      port_given = true;
    }
  } else {
    const auto colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      port_given = true;
    }
    if (host.find_first_of("[]") != std::string_view::npos) return std::nullopt;
  }
  if (host.empty()) return std::nullopt;
  url.host = lowercase(host);
  if (port_given) {
    const auto port = parse_port(port_text);
    if (!port) return std::nullopt;
    url.port = *port;
  } else {
    url.port = *scheme_port;
  }
  url.target = target.empty() ? "/" : target.front() == '?' ? "/" + std::string(target) : std::string(target);
  return url;
}

std::string join_url(std::string_view base, std::string_view name) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  while (!name.empty() && name.front() == '/') name.remove_prefix(1);
  std::string joined(base);
  joined += '/';
  joined += name;
  return joined;
}

HostPort parse_host_port(std::string_view text) {
  const auto refused = [](std::string problem) { return HostPort{{}, std::move(problem)}; };
  const std::string usage = "expected host:port such as 127.0.0.1:3000 or [::1]:3000";
  std::string_view host;
  std::string_view port;
  const bool bracketed = text.starts_with('[');
  if (bracketed) {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') return refused(usage);
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return refused(usage);
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos)
      return refused("write an IPv6 address in brackets, such as [::1]:3000");
  }
  if (host.empty() || host.find_first_of(" \t[]") != std::string_view::npos) return refused(usage);
  unsigned number = 0;
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (port.empty() || error != std::errc{} || end != port.data() + port.size() || number > 65535)
    return refused("the port must be a number from 0 to 65535");
  boost::system::error_code not_an_address;
  const auto address = !bracketed && host == "localhost"
                           ? boost::asio::ip::address(boost::asio::ip::address_v4::loopback())
                           : boost::asio::ip::make_address(std::string(host), not_an_address);
  if (not_an_address) return refused("the host must be an IP address or localhost; a name is never resolved here");
  if (bracketed && !address.is_v6()) return refused("only an IPv6 address goes in brackets, such as [::1]:3000");
  return HostPort{{address, static_cast<std::uint16_t>(number)}, {}};
}

}  // namespace incident_bot::bot
