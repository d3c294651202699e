#include "tls_client.h"

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <ctime>

#include "vms/httpclient/http_client_request.h"

namespace vms {
namespace internal {
namespace {

// The oldest OpenSSL error as text, clearing the queue so that it does not
// leak into the next handshake on this thread.
std::string TakeOpenSslError() {
  const unsigned long code = ERR_peek_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  if (const char* reason = ERR_reason_error_string(code)) return reason;
  std::array<char, 256> text{};
  ERR_error_string_n(code, text.data(), text.size());
  return text.data();
}

std::optional<std::int64_t> NotAfter(const X509* cert) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) != 1) return std::nullopt;
  return static_cast<std::int64_t>(timegm(&tm));
}

bool IsIpLiteral(std::string_view name) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(std::string(name), ec);
  return !ec;
}

// An encrypted key would make OpenSSL prompt on the terminal.
int NoPassphrase(char*, int, int, void*) { return 0; }

}  // namespace

Status PrepareTlsClient(SSL* ssl, std::string_view name, bool verify) {
  const std::string host(name);
  const bool ip = IsIpLiteral(host);
  if (!ip && SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) {
    return Status::Error("cannot set the TLS server name: " + TakeOpenSslError());
  }
  if (!verify) {
    SSL_set_verify(ssl, SSL_VERIFY_NONE, nullptr);
    return Status::Ok();
  }
  SSL_set_verify(ssl, SSL_VERIFY_PEER, nullptr);
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  const int set = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                     : X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
  if (set != 1) return Status::Error("cannot set the name to verify: " + TakeOpenSslError());
  return Status::Ok();
}

void ReadTlsPeerInfo(SSL* ssl, bool handshake_ok, HttpClientResult& out) {
  if (handshake_ok) out.tls_version = SSL_get_version(ssl);
  // A client's peer chain starts with the server's own certificate. It is
  // kept even when verification failed; SSL_get0_peer_certificate is not.
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl);
  const X509* leaf = SSL_get0_peer_certificate(ssl);
  if (leaf == nullptr && chain != nullptr && sk_X509_num(chain) > 0) leaf = sk_X509_value(chain, 0);
  out.cert_not_after = leaf ? NotAfter(leaf) : std::nullopt;
  out.chain_not_after = out.cert_not_after;
  for (int i = 0; chain != nullptr && i < sk_X509_num(chain); ++i) {
    const auto not_after = NotAfter(sk_X509_value(chain, i));
    if (not_after && (!out.chain_not_after || *not_after < *out.chain_not_after)) {
      out.chain_not_after = not_after;
    }
  }
}

std::string TlsHandshakeError(SSL* ssl, bool verify, const boost::system::error_code& ec) {
  const long verified = SSL_get_verify_result(ssl);
  std::string error;
  if (verify && verified != X509_V_OK) {
    error =
        std::string("certificate verification failed: ") + X509_verify_cert_error_string(verified);
  } else if (ec == boost::asio::error::eof || ec == boost::asio::ssl::error::stream_truncated) {
    error = "the server closed the connection in the TLS handshake";
  } else {
    error = ec.message();
  }
  ERR_clear_error();
  return error;
}

}  // namespace internal

Result<std::shared_ptr<boost::asio::ssl::context>> BuildTlsClientContext(
    const TlsClientOptions& options) {
  using internal::TakeOpenSslError;
  ERR_clear_error();
  auto ctx = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_default_passwd_cb(native, internal::NoPassphrase);
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_set_min_proto_version(native, options.min_version) != 1) {
    return Status::Error("tls min_version: " + TakeOpenSslError());
  }
  if (options.ca_file.empty()) {
    if (SSL_CTX_set_default_verify_paths(native) != 1) {
      return Status::Error("tls: cannot use the system certificate store: " + TakeOpenSslError());
    }
  } else if (SSL_CTX_load_verify_locations(native, options.ca_file.c_str(), nullptr) != 1) {
    return Status::Error("tls ca_file " + options.ca_file + ": " + TakeOpenSslError());
  }
  if (options.cert_file.empty() != options.key_file.empty()) {
    return Status::Error("tls cert_file and key_file must be given together");
  }
  if (!options.cert_file.empty()) {
    if (SSL_CTX_use_certificate_chain_file(native, options.cert_file.c_str()) != 1) {
      return Status::Error("tls cert_file " + options.cert_file + ": " + TakeOpenSslError());
    }
    // OpenSSL checks the pair as it loads the key.
    if (SSL_CTX_use_PrivateKey_file(native, options.key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(native) != 1) {
      if (ERR_GET_REASON(ERR_peek_error()) == X509_R_KEY_VALUES_MISMATCH || ERR_peek_error() == 0) {
        ERR_clear_error();
        return Status::Error("tls key_file " + options.key_file + ": does not match cert_file " +
                             options.cert_file);
      }
      return Status::Error("tls key_file " + options.key_file + ": " + TakeOpenSslError());
    }
  }
  return ctx;
}

}  // namespace vms
