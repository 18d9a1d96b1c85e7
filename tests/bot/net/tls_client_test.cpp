#include "bot/net/tls_client.hpp"

#include "fakes/run_sync.hpp"
#include "fakes/self_signed_cert.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <catch2/catch.hpp>

#include <cstdio>

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using namespace incident_bot;
using namespace std::chrono_literals;

TEST_CASE("net client: tls.ca_file is loaded beside the system store; an unreadable one names the file") {
  ssl::context context(ssl::context::tls_client);
  const auto cert = fakes::make_self_signed_cert("localhost", {"DNS:localhost"});
  const auto path = fakes::write_temp_file("incident-bot-net-client", cert.certificate_pem);
  CHECK_NOTHROW(bot::configure_client_tls(context, path));
  CHECK(SSL_CTX_get_verify_mode(context.native_handle()) == SSL_VERIFY_PEER);
  std::remove(path.c_str());
  ssl::context other(ssl::context::tls_client);
  CHECK_THROWS_WITH(bot::configure_client_tls(other, "/nonexistent/ca.pem"),
                    Catch::StartsWith("tls.ca_file /nonexistent/ca.pem"));
}

TEST_CASE("net client: SNI is sent for a host name and never for an IP literal") {
  asio::io_context io;
  ssl::context context(ssl::context::tls_client);
  ssl::stream<asio::ip::tcp::socket> by_name(io, context);
  CHECK_FALSE(bot::prepare_tls_client(by_name, "slack.test"));
  const char* name = SSL_get_servername(by_name.native_handle(), TLSEXT_NAMETYPE_host_name);
  REQUIRE(name != nullptr);
  CHECK(std::string(name) == "slack.test");
  ssl::stream<asio::ip::tcp::socket> by_address(io, context);
  CHECK_FALSE(bot::prepare_tls_client(by_address, "127.0.0.1"));
  CHECK(SSL_get_servername(by_address.native_handle(), TLSEXT_NAMETYPE_host_name) == nullptr);
}

TEST_CASE("net client: an IP literal resolves without the system resolver") {
  asio::io_context io;
  const auto url = bot::parse_url("wss://127.0.0.2:4443/link/?ticket=x");
  REQUIRE(url);
  boost::system::error_code ec;
  const auto results = fakes::run_sync(io, bot::resolve_until(io.get_executor(), *url,
                                                              std::chrono::steady_clock::now() + 5s, ec));
  REQUIRE_FALSE(ec);
  REQUIRE(results.size() == 1);
  CHECK(results.begin()->endpoint().address().to_string() == "127.0.0.2");
  CHECK(results.begin()->endpoint().port() == 4443);
}
