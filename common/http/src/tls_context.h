#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vms/base/status.h"

namespace vms::internal {

// exporter-toolkit's client_auth_type values (Go's tls.ClientAuthType).
enum class ClientAuth {
  kNoClientCert,
  kRequestClientCert,           // asked for, not required, not verified
  kRequireAnyClientCert,        // required, not verified
  kVerifyClientCertIfGiven,     // verified when sent
  kRequireAndVerifyClientCert,  // required and verified
};

std::optional<ClientAuth> ParseClientAuthType(std::string_view name);
// "TLS10" … "TLS13" → OpenSSL's protocol version constant.
std::optional<int> ParseTlsVersion(std::string_view name);
// A Go (IANA) cipher suite name → OpenSSL's name. An empty string for TLS 1.3
// suites, which Go (and so exporter-toolkit) does not let you configure.
std::optional<std::string> OpenSslCipherName(std::string_view go_name);
// A Go curve name (CurveP256, X25519) → OpenSSL's group name.
std::optional<std::string> OpenSslGroupName(std::string_view go_name);

// tls_server_config, checked and with paths resolved.
struct TlsSettings {
  std::string cert_file;
  std::string key_file;
  std::string client_ca_file;  // empty: none
  ClientAuth client_auth = ClientAuth::kNoClientCert;
  // When set, a verified client certificate must carry one of these SANs.
  std::vector<std::string> client_allowed_sans;
  int min_version = TLS1_2_VERSION;  // exporter-toolkit's default
  int max_version = 0;               // 0: the highest OpenSSL supports
  std::vector<std::string> ciphers;  // OpenSSL names; empty: OpenSSL's defaults
  std::vector<std::string> groups;   // OpenSSL names; empty: OpenSSL's defaults
  bool prefer_server_cipher_suites = true;
};

// The PEM text of the files TlsSettings names, read by the caller so that it
// can watch them for changes.
struct TlsFiles {
  std::string cert_pem;
  std::string key_pem;
  std::string client_ca_pem;
};

// A server context for `settings`. The error names the file (by its setting
// and path) and what is wrong with it.
Result<std::shared_ptr<boost::asio::ssl::context>> BuildTlsContext(const TlsSettings& settings,
                                                                   const TlsFiles& files);

}  // namespace vms::internal
