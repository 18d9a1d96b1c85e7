#pragma once
// A throwaway self-signed certificate for loopback TLS servers in tests (OpenSSL 3).
#include <boost/asio/ssl/context.hpp>

#include <string>
#include <vector>

namespace incident_bot::fakes {

struct SelfSignedCert {
  std::string certificate_pem;
  std::string private_key_pem;
};

// An EC P-256 key and a certificate for CN=<common_name>, valid from an hour ago for a day,
// with the subjectAltName entries given as OpenSSL writes them ("DNS:localhost",
// "IP:127.0.0.1"). Throws std::runtime_error when OpenSSL fails.
SelfSignedCert make_self_signed_cert(const std::string& common_name, const std::vector<std::string>& alt_names);

// Writes text to a new file in the temporary directory, readable by its owner only, and
// returns its path; the caller removes it.
std::string write_temp_file(const std::string& stem, const std::string& text);

// Gives a loopback server's TLS context a fresh certificate for localhost and 127.0.0.1, and
// returns the path of the CA file a client trusts it through (tls.ca_file); the caller removes it.
std::string serve_as_localhost(boost::asio::ssl::context& tls, const std::string& stem);

}  // namespace incident_bot::fakes
