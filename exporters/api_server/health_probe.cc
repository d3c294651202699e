#include "api_server/health_probe.h"

namespace vms::api_server {

std::string_view HealthFailureReasonName(HealthFailureReason reason) {
  switch (reason) {
    case HealthFailureReason::kConnect:
      return "connect";
    case HealthFailureReason::kTls:
      return "tls";
    case HealthFailureReason::kTimeout:
      return "timeout";
    case HealthFailureReason::kStatus:
      return "status";
    case HealthFailureReason::kBody:
      return "body";
    case HealthFailureReason::kProtocol:
      return "protocol";
  }
  return "protocol";
}

HealthFailureReason ReasonOf(HttpFailure failure) {
  switch (failure) {
    case HttpFailure::kTls:
      return HealthFailureReason::kTls;
    case HttpFailure::kTimeout:
      return HealthFailureReason::kTimeout;
    case HttpFailure::kStatus:
      return HealthFailureReason::kStatus;
    case HttpFailure::kBody:
    case HttpFailure::kBodyTooLarge:
      return HealthFailureReason::kBody;
    case HttpFailure::kProtocol:
    case HttpFailure::kRedirects:
      return HealthFailureReason::kProtocol;
    case HttpFailure::kNone:
    case HttpFailure::kRequest:
    case HttpFailure::kResolve:
    case HttpFailure::kConnect:
      break;
  }
  return HealthFailureReason::kConnect;
}

HealthProbe::HealthProbe(boost::asio::io_context& io, const HealthCheckConfig& config,
                         HttpProbeConfig http)
    : http_(io, std::move(http)), names_(config.checks, config.max_checks) {
  HealthSnapshot initial;
  initial.checks = names_.Initial();
  snapshot_.Publish(std::move(initial));
}

void HealthProbe::Start(std::chrono::steady_clock::time_point deadline,
                        std::function<void()> done) {
  // The scheduler may free the slot at its deadline and call done later:
  // the weak pointer keeps a probe removed by a reload out of reach.
  http_.Start(deadline, [weak = weak_from_this(), done = std::move(done)] {
    if (auto self = weak.lock()) self->RunEnded();
    done();
  });
}

void HealthProbe::Cancel() { http_.Cancel(); }

void HealthProbe::RunEnded() {
  auto http = http_.Latest();
  if (!http || http->probes_total == seen_runs_) return;  // cancelled: nothing new
  seen_runs_ = http->probes_total;
  if (!http->up()) ++failures_[static_cast<std::size_t>(ReasonOf(http->failure))];

  HealthSnapshot next;
  next.http = http;
  std::optional<HealthBody> body;
  if (http->exchange.status != 0) body = ParseHealthBody(http->exchange.body);
  if (body) next.status = body->status;
  next.checks = names_.Update(body ? &*body : nullptr);
  next.checks_dropped = names_.capped();
  next.checks_invalid = names_.invalid();
  next.failures = failures_;
  snapshot_.Publish(std::move(next));
}

}  // namespace vms::api_server
