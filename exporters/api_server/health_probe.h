#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api_server/health_body.h"
#include "api_server/health_check_config.h"
#include "vms/base/snapshot.h"
#include "vms/httpclient/http_probe.h"
#include "vms/probe/probe_scheduler.h"

namespace vms::api_server {

// The reason label of api_probe_failures_total: a fixed, small set, every
// value always exported.
enum class HealthFailureReason { kConnect, kTls, kTimeout, kStatus, kBody, kProtocol };
inline constexpr std::array kAllHealthFailureReasons = {
    HealthFailureReason::kConnect, HealthFailureReason::kTls,  HealthFailureReason::kTimeout,
    HealthFailureReason::kStatus,  HealthFailureReason::kBody, HealthFailureReason::kProtocol};
std::string_view HealthFailureReasonName(HealthFailureReason reason);
// resolve, connect and request failures are "connect"; body_too_large is
// "body"; protocol and redirects are "protocol".
HealthFailureReason ReasonOf(HttpFailure failure);

// What the collector reads; published whole after every run.
struct HealthSnapshot {
  std::shared_ptr<const HttpProbeResult> http;  // null until the first run ended
  // Known checks (configured, then as bodies named them, up to max_checks)
  // in that order, and whether the last body said each is healthy: a check
  // the last body did not report, or a failed probe, reads 0.
  std::vector<std::pair<std::string, bool>> checks;
  std::uint64_t checks_dropped = 0;  // check names refused by max_checks, each once
  std::uint64_t checks_invalid = 0;  // names no label may hold (IsValidCheckName), each once
  std::array<std::uint64_t, kAllHealthFailureReasons.size()> failures{};
  std::string status;  // the body's "status", "" when none
};

// An HttpProbe of one health endpoint, plus what its body says: each run's
// health JSON is parsed once when the run ends, never at scrape time.
// Start() and Cancel() on the io_context's thread; Latest() from anywhere.
class HealthProbe : public Probe, public std::enable_shared_from_this<HealthProbe> {
 public:
  HealthProbe(boost::asio::io_context& io, const HealthCheckConfig& config, HttpProbeConfig http);

  void Start(std::chrono::steady_clock::time_point deadline, std::function<void()> done) override;
  void Cancel() override;

  std::shared_ptr<const HealthSnapshot> Latest() const { return snapshot_.Read(); }

 private:
  void RunEnded();

  HttpProbe http_;
  HealthCheckNames names_;  // io thread
  std::uint64_t seen_runs_ = 0;
  std::array<std::uint64_t, kAllHealthFailureReasons.size()> failures_{};
  Snapshot<HealthSnapshot> snapshot_;
};

}  // namespace vms::api_server
