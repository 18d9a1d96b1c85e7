#include "bot/net/tls_client.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>

#include <openssl/err.h>

#include <memory>
#include <stdexcept>

namespace incident_bot::bot {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using asio::ip::tcp;
using boost::system::error_code;

void configure_client_tls(ssl::context& context, const std::string& ca_file) {
  SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
  context.set_verify_mode(ssl::verify_peer);
  error_code ec;
  context.set_default_verify_paths(ec);  // the system store; a machine without one still has ca_file
  if (!ca_file.empty()) {
    context.load_verify_file(ca_file, ec);
    if (ec) throw std::runtime_error("tls.ca_file " + ca_file + ": " + ec.message());
  }
}

error_code set_server_name(SSL* ssl, const std::string& host) {
  error_code ec;
  if (asio::ip::make_address(host, ec); ec && !SSL_set_tlsext_host_name(ssl, host.c_str()))
    return error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category());
  return {};
}

asio::awaitable<tcp::resolver::results_type> resolve_until(const asio::any_io_executor& executor, const Url& url,
                                                           std::chrono::steady_clock::time_point deadline,
                                                           error_code& ec) {
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
  if (ec == asio::error::operation_aborted || std::chrono::steady_clock::now() >= deadline)
    ec = boost::beast::error::timeout;
  co_return results;
}

}  // namespace incident_bot::bot
