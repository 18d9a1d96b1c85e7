#include "bot/http_client.hpp"

#include "bot/url.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/ssl.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

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

// Name resolution bounded by the deadline; numeric hosts never reach the system resolver.
// The resolver cannot abort a getaddrinfo already running, so a hung DNS answer still waits
// for the system resolver's own timeout before the cancellation is seen.
asio::awaitable<tcp::resolver::results_type> resolve(const asio::any_io_executor& executor, const Url& url,
                                                     std::chrono::steady_clock::time_point deadline, error_code& ec) {
  auto resolver = std::make_shared<tcp::resolver>(executor);
  const auto port = std::to_string(url.port);
  if (asio::ip::make_address(url.host, ec); !ec)
    co_return co_await resolver->async_resolve(url.host, port, tcp::resolver::numeric_host,
                                               asio::redirect_error(asio::use_awaitable, ec));
  asio::steady_timer timer(executor, deadline);
  timer.async_wait([weak = std::weak_ptr<tcp::resolver>(resolver)](error_code timer_ec) {
    if (auto alive = weak.lock(); alive && !timer_ec) alive->cancel();
  });
  auto results = co_await resolver->async_resolve(url.host, port, asio::redirect_error(asio::use_awaitable, ec));
  timer.cancel();
  if (ec == asio::error::operation_aborted || std::chrono::steady_clock::now() >= deadline) ec = beast::error::timeout;
  co_return results;
}

// Writes the request and reads the whole response; the stream's expiry bounds each step.
template <class Stream>
asio::awaitable<void> exchange(Stream& stream, http::request<http::string_body>& message, HttpResult& result) {
  error_code ec;
  co_await http::async_write(stream, message, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    result.ec = ec;
    co_return;
  }
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
  auto& context = state_->tls;
  SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
  context.set_verify_mode(ssl::verify_peer);
  error_code ec;
  context.set_default_verify_paths(ec);  // the system store; a machine without one still has ca_file
  if (!tls.ca_file.empty()) {
    context.load_verify_file(tls.ca_file, ec);
    if (ec) throw std::runtime_error("tls.ca_file " + tls.ca_file + ": " + ec.message());
  }
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
  const auto endpoints = co_await resolve(state_->executor, *url, deadline, ec);
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
  // SNI carries names only (RFC 6066); an IP literal is checked against the certificate's IP SANs.
  if (asio::ip::make_address(url->host, ec); ec && !SSL_set_tlsext_host_name(stream.native_handle(), url->host.c_str())) {
    result.ec = error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category());
    co_return result;
  }
  stream.set_verify_callback(ssl::host_name_verification(url->host));
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
