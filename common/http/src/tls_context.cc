#include "tls_context.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <utility>

namespace vms::internal {
namespace {

namespace ssl = boost::asio::ssl;

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Deleter {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct KeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

// The most recent OpenSSL error as text, clearing the queue so that it does
// not leak into the next handshake's error.
std::string OpenSslError() {
  const unsigned long code = ERR_peek_last_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  if (const char* reason = ERR_reason_error_string(code)) return reason;
  std::array<char, 256> text{};
  ERR_error_string_n(code, text.data(), text.size());
  return text.data();
}

BioPtr MemoryBio(const std::string& pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// An encrypted key would make OpenSSL prompt on the terminal; exporter-toolkit
// does not support them either, so refuse instead.
int NoPassphrase(char*, int, int, void*) { return 0; }

// A certificate's DNS, email, IP and URI subject alternative names, as Go
// prints them (exporter-toolkit compares client_allowed_sans to these).
std::vector<std::string> SubjectAltNames(X509* cert) {
  std::vector<std::string> out;
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type == GEN_DNS || name->type == GEN_EMAIL || name->type == GEN_URI) {
      const ASN1_IA5STRING* text = name->d.ia5;
      out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                       static_cast<std::size_t>(ASN1_STRING_length(text)));
    } else if (name->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* ip = name->d.iPAddress;
      const int family = ASN1_STRING_length(ip) == 4 ? AF_INET : AF_INET6;
      if (ASN1_STRING_length(ip) != 4 && ASN1_STRING_length(ip) != 16) continue;
      std::array<char, INET6_ADDRSTRLEN> text{};
      if (inet_ntop(family, ASN1_STRING_get0_data(ip), text.data(), text.size()) != nullptr) {
        out.emplace_back(text.data());
      }
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

// Runs after OpenSSL's own verification of each certificate in the chain.
bool VerifyClientCertificate(ClientAuth auth, const std::vector<std::string>& allowed_sans,
                             bool preverified, ssl::verify_context& verify) {
  // RequestClientCert and RequireAnyClientCert take whatever comes.
  if (auth == ClientAuth::kRequestClientCert || auth == ClientAuth::kRequireAnyClientCert) {
    return true;
  }
  if (!preverified) return false;
  X509_STORE_CTX* store = verify.native_handle();
  if (allowed_sans.empty() || X509_STORE_CTX_get_error_depth(store) != 0) return true;
  for (const auto& san : SubjectAltNames(X509_STORE_CTX_get_current_cert(store))) {
    if (std::find(allowed_sans.begin(), allowed_sans.end(), san) != allowed_sans.end()) return true;
  }
  X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION);
  return false;
}

Status LoadClientCas(SSL_CTX* native, const std::string& pem, const std::string& what) {
  BioPtr bio = MemoryBio(pem);
  X509_STORE* store = SSL_CTX_get_cert_store(native);
  int count = 0;
  while (X509Ptr cert{PEM_read_bio_X509(bio.get(), nullptr, NoPassphrase, nullptr)}) {
    // The names go in the CertificateRequest so clients can pick a cert.
    if (X509_STORE_add_cert(store, cert.get()) != 1 ||
        SSL_CTX_add_client_CA(native, cert.get()) != 1) {
      return Status::Error(what + ": " + OpenSslError());
    }
    ++count;
  }
  ERR_clear_error();  // the loop ends on "no start line"
  if (count == 0) return Status::Error(what + ": no PEM certificate found");
  return Status::Ok();
}

int VerifyMode(ClientAuth auth) {
  switch (auth) {
    case ClientAuth::kNoClientCert:
      return SSL_VERIFY_NONE;
    case ClientAuth::kRequestClientCert:
    case ClientAuth::kVerifyClientCertIfGiven:
      return SSL_VERIFY_PEER;
    case ClientAuth::kRequireAnyClientCert:
    case ClientAuth::kRequireAndVerifyClientCert:
      return SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  }
  return SSL_VERIFY_NONE;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ":") + p;
  return out;
}

}  // namespace

std::optional<ClientAuth> ParseClientAuthType(std::string_view name) {
  if (name.empty() || name == "NoClientCert") return ClientAuth::kNoClientCert;
  if (name == "RequestClientCert") return ClientAuth::kRequestClientCert;
  if (name == "RequireAnyClientCert") return ClientAuth::kRequireAnyClientCert;
  if (name == "VerifyClientCertIfGiven") return ClientAuth::kVerifyClientCertIfGiven;
  if (name == "RequireAndVerifyClientCert") return ClientAuth::kRequireAndVerifyClientCert;
  return std::nullopt;
}

std::optional<int> ParseTlsVersion(std::string_view name) {
  if (name == "TLS10") return TLS1_VERSION;
  if (name == "TLS11") return TLS1_1_VERSION;
  if (name == "TLS12") return TLS1_2_VERSION;
  if (name == "TLS13") return TLS1_3_VERSION;
  return std::nullopt;
}

std::optional<std::string> OpenSslCipherName(std::string_view go_name) {
  if (go_name.starts_with("TLS_AES_") || go_name.starts_with("TLS_CHACHA20_")) return "";
  std::string iana(go_name);
  // Go's short aliases for the ChaCha20 suites.
  if (iana.ends_with("_CHACHA20_POLY1305")) iana += "_SHA256";
  const char* name = OPENSSL_cipher_name(iana.c_str());
  if (name == nullptr || std::string_view(name) == "(NONE)") return std::nullopt;
  return std::string(name);
}

std::optional<std::string> OpenSslGroupName(std::string_view go_name) {
  if (go_name == "CurveP256") return "P-256";
  if (go_name == "CurveP384") return "P-384";
  if (go_name == "CurveP521") return "P-521";
  if (go_name == "X25519") return "X25519";
  return std::nullopt;
}

Result<std::shared_ptr<ssl::context>> BuildTlsContext(const TlsSettings& settings,
                                                      const TlsFiles& files) {
  // This may run on the event loop during a reload: leave no stale error in
  // the thread's queue for the next handshake to trip over.
  struct ClearErrors {
    ClearErrors() { ERR_clear_error(); }
    ~ClearErrors() { ERR_clear_error(); }
  } clear_errors;
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_default_passwd_cb(native, NoPassphrase);
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  if (settings.prefer_server_cipher_suites) {
    SSL_CTX_set_options(native, SSL_OP_CIPHER_SERVER_PREFERENCE);
  }
  if (settings.min_version != 0 && settings.min_version < TLS1_2_VERSION) {
    // OpenSSL 3's default security level forbids the SHA-1 signatures TLS
    // 1.0/1.1 need, which would make an explicit TLS10/TLS11 (allowed by
    // exporter-toolkit for legacy scrapers) fail every such handshake.
    SSL_CTX_set_security_level(native, 0);
  }
  if (SSL_CTX_set_min_proto_version(native, settings.min_version) != 1 ||
      SSL_CTX_set_max_proto_version(native, settings.max_version) != 1) {
    return Status::Error("tls_server_config: TLS version range: " + OpenSslError());
  }
  if (!settings.ciphers.empty() &&
      SSL_CTX_set_cipher_list(native, Join(settings.ciphers).c_str()) != 1) {
    return Status::Error("tls_server_config.cipher_suites: " + OpenSslError());
  }
  if (!settings.groups.empty() &&
      SSL_CTX_set1_groups_list(native, Join(settings.groups).c_str()) != 1) {
    return Status::Error("tls_server_config.curve_preferences: " + OpenSslError());
  }

  const std::string cert_what = "tls_server_config.cert_file " + settings.cert_file;
  const std::string key_what = "tls_server_config.key_file " + settings.key_file;
  boost::system::error_code ec;
  ctx->use_certificate_chain(boost::asio::buffer(files.cert_pem), ec);
  if (ec) return Status::Error(cert_what + ": not a PEM certificate: " + ec.message());
  // Parsed here rather than by SSL_CTX_use_PrivateKey so that a key of the
  // wrong pair is reported as that, not as an unreadable key.
  if (files.key_pem.find("ENCRYPTED") != std::string::npos) {
    return Status::Error(key_what + ": is encrypted; the key must be unencrypted");
  }
  BioPtr key_bio = MemoryBio(files.key_pem);
  KeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, NoPassphrase, nullptr));
  if (!key) return Status::Error(key_what + ": not a PEM private key: " + OpenSslError());
  if (X509_check_private_key(SSL_CTX_get0_certificate(native), key.get()) != 1) {
    ERR_clear_error();
    return Status::Error(key_what + ": does not match the certificate in " + settings.cert_file);
  }
  if (SSL_CTX_use_PrivateKey(native, key.get()) != 1) {
    return Status::Error(key_what + ": " + OpenSslError());
  }

  if (!settings.client_ca_file.empty()) {
    const Status s = LoadClientCas(native, files.client_ca_pem,
                                   "tls_server_config.client_ca_file " + settings.client_ca_file);
    if (!s.ok()) return s;
  }
  ctx->set_verify_mode(VerifyMode(settings.client_auth));
  if (settings.client_auth != ClientAuth::kNoClientCert) {
    ctx->set_verify_callback([auth = settings.client_auth, allowed = settings.client_allowed_sans](
                                 bool preverified, ssl::verify_context& verify) {
      return VerifyClientCertificate(auth, allowed, preverified, verify);
    });
  }
  // Session resumption with peer verification needs a context id.
  static constexpr unsigned char kSessionContext[] = "vms-exporter";
  SSL_CTX_set_session_id_context(native, kSessionContext, sizeof kSessionContext - 1);
  return ctx;
}

}  // namespace vms::internal
