#pragma once
// What every outgoing connection shares: the TLS client context (system store plus
// tls.ca_file), SNI and host-name verification, and name resolution bounded by a deadline.
#include "bot/net/url.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/system/error_code.hpp>

#include <openssl/ssl.h>

#include <chrono>
#include <string>

namespace incident_bot::bot {

// Peer verification on, TLS 1.2 at least, the system store and `ca_file` (empty: none).
// Throws std::runtime_error naming the file when it cannot be loaded: a start-up error.
void configure_client_tls(boost::asio::ssl::context& context, const std::string& ca_file);

// SNI for a host name; an IP literal sends none (RFC 6066). An error code when OpenSSL refuses.
boost::system::error_code set_server_name(SSL* ssl, const std::string& host);

// SNI and the host-name check on the peer's certificate (a name, or an IP literal against the
// certificate's IP SANs). Call on an ssl::stream before its handshake.
template <class SslStream>
boost::system::error_code prepare_tls_client(SslStream& stream, const std::string& host) {
  if (auto ec = set_server_name(stream.native_handle(), host)) return ec;
  stream.set_verify_callback(boost::asio::ssl::host_name_verification(host));
  return {};
}

// Resolves url.host:url.port; numeric hosts never reach the system resolver. Past `deadline`
// ec is boost::beast::error::timeout.
boost::asio::awaitable<boost::asio::ip::tcp::resolver::results_type> resolve_until(
    const boost::asio::any_io_executor& executor, const Url& url, std::chrono::steady_clock::time_point deadline,
    boost::system::error_code& ec);

}  // namespace incident_bot::bot
