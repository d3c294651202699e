#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vms {

// Why an exchange (or a probe of one) failed. An exchange that got a
// complete response has kNone whatever the status; kStatus and kBody are set
// only by HttpProbe's checks of that response.
enum class HttpFailure {
  kNone,
  kRequest,       // the request itself is unusable (bad URL, bad header, TLS files)
  kResolve,       // the host name did not resolve
  kConnect,       // refused, unreachable, reset before the connection was up
  kTls,           // handshake failed, including certificate verification
  kTimeout,       // the deadline passed (failed_phase says in which phase)
  kProtocol,      // not HTTP, malformed, oversized headers, closed mid-message
  kBodyTooLarge,  // the body is longer than max_body_bytes
  kRedirects,     // more redirects than max_redirects
  kStatus,        // HttpProbe: a status not in valid_status_codes
  kBody,          // HttpProbe: the body does not match body_regex
};
// "none", "request", "resolve", "connect", "tls", "timeout", "protocol",
// "body_too_large", "redirects", "status", "body".
std::string_view HttpFailureName(HttpFailure failure);

// blackbox_exporter's phases, plus resolve.
enum class HttpPhase {
  kResolve,
  kConnect,
  kTls,         // https only
  kProcessing,  // the request sent, until the first byte of the response
  kTransfer,    // the first byte of the response to its end
};
inline constexpr std::size_t kHttpPhaseCount = 5;
std::string_view HttpPhaseName(HttpPhase phase);  // "resolve", ..., "transfer"

struct HttpPhaseTiming {
  bool reached = false;
  // Since the exchange began, in the last connection that went through the
  // phase (a redirect starts a new connection).
  std::chrono::duration<double> started{};
  // Summed over every connection of the exchange, as blackbox_exporter does
  // for redirects.
  std::chrono::duration<double> duration{};
};

// Response headers in the order received; names compare case-insensitively.
class HttpHeaders {
 public:
  void Add(std::string name, std::string value);
  // The first value of `name`; nullopt when absent.
  std::optional<std::string_view> Get(std::string_view name) const;
  std::vector<std::string_view> GetAll(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& all() const { return fields_; }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

struct HttpClientResult {
  HttpFailure failure = HttpFailure::kNone;
  HttpPhase failed_phase = HttpPhase::kResolve;  // where it stopped when failure != kNone
  // What went wrong, naming host:port but never credentials: safe for logs
  // and pages.
  std::string error{};

  int status = 0;  // 0 when no complete response arrived
  std::string reason{};
  int http_version = 0;  // 11 for HTTP/1.1, 10 for HTTP/1.0
  HttpHeaders headers{};
  std::string body{};

  std::array<HttpPhaseTiming, kHttpPhaseCount> phases{};
  std::chrono::duration<double> total{};  // the whole exchange, redirects included
  int redirects = 0;                      // followed
  std::string final_url{};                // of the last request, without credentials

  // Of the last TLS connection; empty/nullopt without TLS or when the
  // handshake failed before the server's certificate arrived.
  std::string tls_version{};                      // "TLSv1.3"
  std::optional<std::int64_t> cert_not_after{};   // the server certificate's, Unix seconds
  std::optional<std::int64_t> chain_not_after{};  // the earliest in the chain the server sent

  bool ok() const { return failure == HttpFailure::kNone; }
  const HttpPhaseTiming& phase(HttpPhase p) const { return phases[static_cast<std::size_t>(p)]; }
  HttpPhaseTiming& phase(HttpPhase p) { return phases[static_cast<std::size_t>(p)]; }
};

}  // namespace vms
