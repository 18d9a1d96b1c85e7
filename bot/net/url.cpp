// URLs and listening addresses are split by Boost.URL's RFC 3986 grammar; only the policy (which
// schemes, which hosts, which ports) is written here.
#include "bot/net/url.hpp"

#include <boost/url/authority_view.hpp>
#include <boost/url/ipv4_address.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace incident_bot::bot {

namespace {

namespace urls = boost::urls;

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

// The port as written: digits only (the grammar's *DIGIT), at most 65535, nullopt when empty or larger.
std::optional<unsigned> port_number(std::string_view digits) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || digits.size() > 5 || error != std::errc{} || end != digits.data() + digits.size() ||
      value > 65535)
    return std::nullopt;
  return value;
}

// A registered name goes into the Host header and SNI as is: letters, digits, '-', '.', '_' only,
// so no percent escape can decode into a header-breaking byte.
bool plain_host_name(std::string_view host) {
  return !host.empty() && std::all_of(host.begin(), host.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_';
  });
}

// The host of an authority as Url keeps it: IPv6 without brackets, a name lowercased; nullopt otherwise.
std::optional<std::string> url_host(const urls::authority_view& authority) {
  switch (authority.host_type()) {
    case urls::host_type::ipv4: return std::string(authority.encoded_host());
    case urls::host_type::ipv6: return authority.host_ipv6_address().to_string();
    case urls::host_type::name:
      if (!plain_host_name(authority.encoded_host())) return std::nullopt;
      return lowercase(authority.encoded_host());
    default: return std::nullopt;  // none, or an IPvFuture literal
  }
}

// The grammar only says no; the config error says which part is wrong.
std::string why_not_an_authority(std::string_view text, const std::string& usage) {
  const auto colons = std::count(text.begin(), text.end(), ':');
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    const bool ipv4_inside =
        close != std::string_view::npos && urls::parse_ipv4_address(urls::string_view(text.data() + 1, close - 1));
    return ipv4_inside ? "only an IPv6 address goes in brackets, such as [::1]:3000" : usage;
  }
  if (colons > 1) return "write an IPv6 address in brackets, such as [::1]:3000";
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return usage;
  const std::string host_alone(text.substr(0, colon));
  return urls::parse_authority(host_alone) ? "the port must be a number from 0 to 65535" : usage;
}

}  // namespace

std::string Url::host_header() const {
  std::string header = ipv6_literal() ? "[" + host + "]" : host;
  if (port != default_port(scheme)) header += ":" + std::to_string(port);
  return header;
}

std::optional<Url> parse_url(std::string_view text) {
  if (text.empty()) return std::nullopt;  // Boost.URL 1.81 may read past an empty view
  const auto parsed = urls::parse_uri(urls::string_view(text.data(), text.size()));
  if (!parsed || !parsed->has_authority() || parsed->has_userinfo()) return std::nullopt;
  const urls::url_view& view = *parsed;
  Url url;
  url.scheme = lowercase(view.scheme());
  const auto scheme_port = default_port(url.scheme);
  if (!scheme_port) return std::nullopt;
  auto host = url_host(view.authority());
  if (!host) return std::nullopt;
  url.host = std::move(*host);
  if (view.has_port()) {
    const auto port = port_number(view.port());
    if (!port || *port == 0) return std::nullopt;
    url.port = static_cast<std::uint16_t>(*port);
  } else {
    url.port = *scheme_port;
  }
  const std::string_view path = view.encoded_path();
  // RFC 3986 makes the path after an authority empty or "/…"; Boost.URL 1.81 lets "host:12ab/" through.
  if (!path.empty() && path.front() != '/') return std::nullopt;
  url.target = path.empty() ? "/" : std::string(path);
  if (view.has_query()) url.target += "?" + std::string(view.encoded_query());
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
  if (text.empty()) return refused(usage);  // Boost.URL 1.81 may read past an empty view
  const auto parsed = urls::parse_authority(urls::string_view(text.data(), text.size()));
  if (!parsed) return refused(why_not_an_authority(text, usage));
  const urls::authority_view& authority = *parsed;
  if (authority.has_userinfo() || !authority.has_port() || authority.encoded_host().empty()) return refused(usage);
  const auto port = port_number(authority.port());
  if (!port) return refused("the port must be a number from 0 to 65535");
  boost::asio::ip::address address;
  switch (authority.host_type()) {
    case urls::host_type::ipv4:
      address = boost::asio::ip::address_v4(authority.host_ipv4_address().to_uint());
      break;
    case urls::host_type::ipv6:
      address = boost::asio::ip::address_v6(authority.host_ipv6_address().to_bytes());
      break;
    case urls::host_type::name:
      if (authority.encoded_host() != "localhost")
        return refused("the host must be an IP address or localhost; a name is never resolved here");
      address = boost::asio::ip::address_v4::loopback();
      break;
    default: return refused(usage);
  }
  return HostPort{{address, static_cast<std::uint16_t>(*port)}, {}};
}

}  // namespace incident_bot::bot
