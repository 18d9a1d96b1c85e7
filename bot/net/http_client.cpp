#include "bot/net/http_client.hpp"

#include "bot/net/tls_client.hpp"
#include "bot/net/url.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <cctype>

namespace incident_bot::bot {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

// A header that could smuggle a second header or request into the stream is refused.
bool safe_header(std::string_view name, std::string_view value) {
  const auto token_char = [](unsigned char c) { return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos; };
  const auto value_char = [](unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); };
  return !name.empty() && std::all_of(name.begin(), name.end(), token_char) &&
         std::all_of(value.begin(), value.end(), value_char);
}

class HttpClientCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "incident_bot.http_client"; }
  std::string message(int value) const override {
    switch (static_cast<HttpClientError>(value)) {
      case HttpClientError::bad_url: return "not an http:// or https:// URL";
      case HttpClientError::bad_header: return "a request header name or value is malformed";
    }
    return "unknown http client error";
  }
};

// Writes the request and reads the whole response; the stream's expiry bounds each step.
template <class Stream>
asio::awaitable<void> exchange(Stream& stream, http::request<http::string_body>& message, HttpResult& result) {
  error_code ec;
  co_await http::async_write(stream, message, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    result.ec = ec;
    co_return;
  }
  result.request_sent = true;
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(BeastHttpClient::max_response_body);
  co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    result.ec = ec;
    co_return;
  }
  auto response = parser.release();
  result.status = static_cast<int>(response.result_int());
  for (const auto& field : response) result.headers.add(std::string(field.name_string()), std::string(field.value()));
  result.body = std::move(response.body());
}

}  // namespace

void HttpHeaders::set(std::string_view name, std::string value) {
  std::erase_if(fields_, [&](const auto& field) { return same_name(field.first, name); });
  fields_.emplace_back(std::string(name), std::move(value));
}

std::optional<std::string> HttpHeaders::find(std::string_view name) const {
  for (const auto& [field, value] : fields_)
    if (same_name(field, name)) return value;
  return std::nullopt;
}

const boost::system::error_category& http_client_category() {
  static const HttpClientCategory category;
  return category;
}

error_code make_error_code(HttpClientError error) { return {static_cast<int>(error), http_client_category()}; }

struct BeastHttpClient::State {
  explicit State(asio::any_io_executor io) : executor(std::move(io)) {}
  asio::any_io_executor executor;
  ssl::context tls{ssl::context::tls_client};
};

BeastHttpClient::BeastHttpClient(asio::any_io_executor executor, TlsOptions tls)
    : state_(std::make_unique<State>(std::move(executor))) {
  configure_client_tls(state_->tls, tls.ca_file);
}

BeastHttpClient::~BeastHttpClient() = default;

asio::awaitable<HttpResult> BeastHttpClient::send(HttpRequest request) {
  HttpResult result;
  const auto url = parse_url(request.url);
  if (!url || (url->scheme != "http" && url->scheme != "https")) {
    result.ec = make_error_code(HttpClientError::bad_url);
    co_return result;
  }
  const auto verb = request.method == HttpMethod::get ? http::verb::get
                    : request.method == HttpMethod::put ? http::verb::put : http::verb::post;
  http::request<http::string_body> message{verb,
                                           url->target, 11};
  for (const auto& [name, value] : request.headers.fields()) {
    if (!safe_header(name, value)) {
      result.ec = make_error_code(HttpClientError::bad_header);
      co_return result;
    }
    message.insert(name, value);
  }
  message.set(http::field::host, url->host_header());
  if (!request.headers.find("User-Agent")) message.set(http::field::user_agent, "incident-bot/" INCIDENT_BOT_VERSION);
  message.keep_alive(false);
  message.body() = std::move(request.body);
  if (request.method != HttpMethod::get || !message.body().empty()) message.prepare_payload();

  const auto deadline = std::chrono::steady_clock::now() + request.timeout;
  error_code ec;
  const auto endpoints = co_await resolve_until(state_->executor, *url, deadline, ec);
  if (ec) {
    result.ec = ec;
    co_return result;
  }

  if (!url->tls()) {
    beast::tcp_stream stream(state_->executor);
    stream.expires_at(deadline);
    co_await stream.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      result.ec = ec;
      co_return result;
    }
    co_await exchange(stream, message, result);
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    co_return result;
  }

  beast::ssl_stream<beast::tcp_stream> stream(state_->executor, state_->tls);
  if (result.ec = prepare_tls_client(stream, url->host); result.ec) co_return result;
  auto& tcp_layer = beast::get_lowest_layer(stream);
  tcp_layer.expires_at(deadline);
  co_await tcp_layer.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (!ec) co_await stream.async_handshake(ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    result.ec = ec;
    co_return result;
  }
  co_await exchange(stream, message, result);
  // One request per connection and the response is complete: no close_notify round trip.
  tcp_layer.socket().shutdown(tcp::socket::shutdown_both, ec);
  co_return result;
}

}  // namespace incident_bot::bot
