#pragma once
// An HTTP client behind an interface: the Web API talks to this, tests hand it a fake.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace incident_bot::bot {

// Header fields in order; names compare case-insensitively.
class HttpHeaders {
 public:
  HttpHeaders() = default;
  HttpHeaders(std::initializer_list<std::pair<std::string, std::string>> fields) : fields_(fields) {}

  void add(std::string name, std::string value) { fields_.emplace_back(std::move(name), std::move(value)); }
  void set(std::string_view name, std::string value);  // replaces every field of that name
  std::optional<std::string> find(std::string_view name) const;  // the first field of that name
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

enum class HttpMethod { get, post, put };

struct HttpRequest {
  HttpMethod method = HttpMethod::post;
  std::string url;      // absolute: http://host[:port]/path or https://…
  HttpHeaders headers;  // Host, Content-Length and Connection are set by the client
  std::string body;
  std::chrono::milliseconds timeout{10'000};  // the whole exchange: resolve to last byte
};

struct HttpResult {
  boost::system::error_code ec;  // set when no complete response arrived; status is then 0
  int status = 0;
  HttpHeaders headers;  // every response field (Retry-After, Content-Type, …)
  std::string body;
  // The whole request reached the peer: a transport error after that leaves the outcome
  // unknown, since the peer may have acted on it.
  bool request_sent = false;
};

// Never logs: a request's Authorization header stays between the caller and the peer.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual boost::asio::awaitable<HttpResult> send(HttpRequest request) = 0;
};

struct TlsOptions {
  std::string ca_file;  // extra PEM bundle trusted beside the system store; empty: none
};

// The real client: Beast over TCP, OpenSSL for https (peer verified: system CAs plus
// ca_file, SNI, host name check). One request per connection ("Connection: close"): the
// Web API is called a few times a minute, so a pool would buy nothing. Responses are
// limited to max_response_body bytes.
class BeastHttpClient final : public HttpClient {
 public:
  static constexpr std::size_t max_response_body = 1024 * 1024;

  // Throws std::runtime_error when ca_file cannot be loaded: a start-up error.
  BeastHttpClient(boost::asio::any_io_executor executor, TlsOptions tls);
  ~BeastHttpClient() override;

  boost::asio::awaitable<HttpResult> send(HttpRequest request) override;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Errors of this client beyond Asio's and Beast's own (a timeout is boost::beast::error::timeout,
// an oversized response boost::beast::http::error::body_limit).
enum class HttpClientError { bad_url = 1, bad_header };
const boost::system::error_category& http_client_category();
boost::system::error_code make_error_code(HttpClientError error);

}  // namespace incident_bot::bot
