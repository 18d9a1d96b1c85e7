#include "fakes/self_signed_cert.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <unistd.h>

namespace incident_bot::fakes {

namespace {

template <auto free_function>
struct Deleter {
  template <class T>
  void operator()(T* pointer) const { free_function(pointer); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

void require(bool success, const char* what) {
  if (!success) throw std::runtime_error(std::string("self-signed certificate: ") + what + " failed");
}

std::string pem_of(const std::function<int(BIO*)>& write) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  require(bio != nullptr, "BIO_new");
  require(write(bio.get()) == 1, "PEM_write");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

void add_extension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()));
  require(extension != nullptr, "X509V3_EXT_conf_nid");
  require(X509_add_ext(cert, extension.get(), -1) == 1, "X509_add_ext");
}

}  // namespace

SelfSignedCert make_self_signed_cert(const std::string& common_name, const std::vector<std::string>& alt_names) {
  KeyPtr key(EVP_EC_gen("P-256"));
  require(key != nullptr, "EVP_EC_gen");
  CertPtr cert(X509_new());
  require(cert != nullptr, "X509_new");
  require(X509_set_version(cert.get(), X509_VERSION_3) == 1, "X509_set_version");
  unsigned char serial[8];
  require(RAND_bytes(serial, sizeof serial) == 1, "RAND_bytes");
  serial[0] &= 0x7f;  // a positive serial number
  std::unique_ptr<BIGNUM, Deleter<BN_free>> serial_number(BN_bin2bn(serial, sizeof serial, nullptr));
  require(serial_number && BN_to_ASN1_INTEGER(serial_number.get(), X509_get_serialNumber(cert.get())), "serial");
  require(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr, "notBefore");
  require(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400) != nullptr, "notAfter");
  require(X509_set_pubkey(cert.get(), key.get()) == 1, "X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(cert.get());
  require(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                     reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0) == 1,
          "subject");
  require(X509_set_issuer_name(cert.get(), name) == 1, "issuer");
  std::string alt_text;
  for (const auto& alt_name : alt_names) alt_text += (alt_text.empty() ? "" : ",") + alt_name;
  if (!alt_text.empty()) add_extension(cert.get(), NID_subject_alt_name, alt_text);
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_extension(cert.get(), NID_subject_key_identifier, "hash");
  require(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "X509_sign");

  SelfSignedCert result;
  result.certificate_pem = pem_of([&](BIO* bio) { return PEM_write_bio_X509(bio, cert.get()); });
  result.private_key_pem = pem_of([&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  return result;
}

std::string write_temp_file(const std::string& stem, const std::string& text) {
  auto pattern = (std::filesystem::temp_directory_path() / (stem + "-XXXXXX.pem")).string();
  const int descriptor = ::mkstemps(pattern.data(), 4);
  if (descriptor < 0) throw std::runtime_error("cannot create a temporary file for " + stem);
  std::FILE* file = ::fdopen(descriptor, "w");
  const bool written = file && std::fwrite(text.data(), 1, text.size(), file) == text.size();
  if (file) std::fclose(file); else ::close(descriptor);
  if (!written) throw std::runtime_error("cannot write " + pattern);
  return pattern;
}

std::string serve_as_localhost(boost::asio::ssl::context& tls, const std::string& stem) {
  const auto cert = make_self_signed_cert("localhost", {"DNS:localhost", "IP:127.0.0.1"});
  tls.use_certificate_chain(boost::asio::buffer(cert.certificate_pem));
  tls.use_private_key(boost::asio::buffer(cert.private_key_pem), boost::asio::ssl::context::pem);
  return write_temp_file(stem, cert.certificate_pem);
}

}  // namespace incident_bot::fakes
