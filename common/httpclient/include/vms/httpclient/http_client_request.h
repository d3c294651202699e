#pragma once

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vms/base/status.h"

namespace vms {

struct TlsClientOptions {
  std::string ca_file{};  // PEM; empty: the system store (/etc/ssl/certs)
  bool insecure_skip_verify = false;
  // The name sent as SNI and checked against the certificate; empty: the
  // URL's host. Like Go's tls.Config.ServerName.
  std::string server_name{};
  std::string cert_file{};  // client certificate (PEM), with key_file; optional
  std::string key_file{};
  int min_version = TLS1_2_VERSION;
};

struct HttpClientRequest {
  std::string method = "GET";
  // http:// or https://. A user:password@ in it is sent as Basic auth when
  // basic_user and bearer_token are empty; it is never logged or shown.
  std::string url{};
  // Sent as given. Host, User-Agent, Accept and Authorization replace ours;
  // Connection, Content-Length and Transfer-Encoding are the client's own.
  std::vector<std::pair<std::string, std::string>> headers{};
  std::string body{};

  // The exchange ends at the earlier of start + timeout and deadline.
  std::chrono::milliseconds timeout{5000};
  std::optional<std::chrono::steady_clock::time_point> deadline{};
  std::uint64_t max_body_bytes = 4 * 1024 * 1024;
  std::size_t max_header_bytes = 64 * 1024;
  // 0: a 3xx is the answer. Otherwise up to this many are followed (303 and
  // a 301/302 to a POST become GET); one more is kRedirects.
  int max_redirects = 0;

  // From the config, never from a log or a label.
  std::string basic_user{};
  std::string basic_password{};
  std::string bearer_token{};  // "Authorization: Bearer <token>"
  std::string user_agent = "vms-exporters";

  TlsClientOptions tls{};
  // Built from `tls` once at configuration time (BuildTlsClientContext) and
  // shared by every exchange of a target; when null, each https exchange
  // builds its own (reading the files on the event loop).
  std::shared_ptr<boost::asio::ssl::context> tls_context{};
};

// The trust store, client certificate and minimum version of `options`. The
// error names the setting and file at fault.
Result<std::shared_ptr<boost::asio::ssl::context>> BuildTlsClientContext(
    const TlsClientOptions& options);

// Checks what can be checked before sending (URL, method, header names and
// values), for --config.check and config loading. Never names a value.
Status ValidateHttpClientRequest(const HttpClientRequest& request);

}  // namespace vms
