#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "vms/base/snapshot.h"
#include "vms/base/status.h"
#include "vms/httpclient/http_client_request.h"
#include "vms/httpclient/http_client_result.h"
#include "vms/httpclient/http_exchange.h"
#include "vms/probe/probe_scheduler.h"

namespace vms {

struct HttpProbeConfig {
  std::string target{};  // names the target in log lines
  // Its timeout bounds each run, as does the scheduler's deadline.
  HttpClientRequest request{};
  std::vector<int> valid_status_codes{};  // empty: 200-299, as blackbox_exporter
  // Must match somewhere in the body (blackbox's fail_if_body_not_matches_regexp).
  std::optional<std::regex> body_regex{};
};

// A body regex for HttpProbeConfig, ECMAScript syntax, compiled for
// libstdc++'s breadth-first matcher: its stack depth does not grow with the
// body, so a large body cannot overflow the loop's stack (back-references,
// which need the other matcher, are refused). Matching still costs time in
// proportion to the body: keep max_body_bytes small for regex checks. For
// config loading; the error says what is wrong with the pattern.
Result<std::regex> CompileBodyRegex(const std::string& pattern);

struct HttpVerdict {
  HttpFailure failure = HttpFailure::kNone;
  std::string error{};
};
// The probe's checks of one exchange: the exchange's own failure, else the
// status (kStatus), else the body (kBody).
HttpVerdict JudgeHttpResponse(const HttpClientResult& result, const HttpProbeConfig& config);

// One probe's outcome; published whole, never changed afterwards.
struct HttpProbeResult {
  HttpFailure failure = HttpFailure::kTimeout;
  std::string error{};  // safe to show: never holds credentials
  // What the exchange brought: status, headers, body, phases, TLS. Its own
  // failure is kNone when a response came, whatever the checks said of it.
  HttpClientResult exchange{};
  std::chrono::duration<double> duration{};  // Start() to the result
  std::chrono::system_clock::time_point finished{};
  // Counters over the probe's lifetime; failures are results other than up.
  std::uint64_t probes_total = 0;
  std::uint64_t failures_total = 0;

  bool up() const { return failure == HttpFailure::kNone; }
};

// Runs an HttpExchange per scheduler run and judges it. Start() and Cancel()
// must be called on the io_context's thread; Latest() from anywhere. Logs
// changes of state only (a target going down, coming back), with the URL
// redacted.
class HttpProbe : public Probe {
 public:
  HttpProbe(boost::asio::io_context& io, HttpProbeConfig config);
  HttpProbe(const HttpProbe&) = delete;
  HttpProbe& operator=(const HttpProbe&) = delete;

  void Start(std::chrono::steady_clock::time_point deadline, std::function<void()> done) override;
  // Closes the connection at once. At or after the deadline the run ends as
  // kTimeout; before it (the probe was removed) nothing is published.
  void Cancel() override;

  // nullptr until the first probe finished.
  std::shared_ptr<const HttpProbeResult> Latest() const { return snapshot_.Read(); }
  const Snapshot<HttpProbeResult>& snapshot() const { return snapshot_; }

 private:
  void Finish(HttpClientResult result);

  HttpProbeConfig config_;
  HttpExchange exchange_;
  Snapshot<HttpProbeResult> snapshot_;
  std::chrono::steady_clock::time_point run_started_{};
  std::chrono::steady_clock::time_point run_deadline_{};
  std::function<void()> done_;
  std::uint64_t probes_total_ = 0;
  std::uint64_t failures_total_ = 0;
  std::optional<HttpFailure> last_failure_;  // for logging changes only
};

}  // namespace vms
