#include "vms/rtsp/rtsp_probe.h"

#include <spdlog/spdlog.h>

#include "describe_exchange.h"
#include "vms/rtsp/rtsp_url.h"

namespace vms {

using Clock = std::chrono::steady_clock;
using internal::ExchangeOutcome;
using internal::FailedExchange;

RtspProbe::RtspProbe(boost::asio::io_context& io, RtspProbeConfig config)
    : io_(io), config_(std::move(config)) {}

RtspProbe::~RtspProbe() {
  if (run_) run_->Abandon();
}

void RtspProbe::Start(Clock::time_point deadline, std::function<void()> done) {
  if (run_) std::exchange(run_, nullptr)->Abandon();
  done_ = std::move(done);
  run_started_ = Clock::now();
  run_deadline_ = deadline;

  if (locked_out_) {
    if (run_started_ < locked_until_) {
      ExchangeOutcome out =
          FailedExchange(CameraState::kLockedOut,
                         "credentials were refused; not retrying until they change or the "
                         "back-off ends");
      return Finish(out);
    }
    locked_out_ = false;  // the back-off is over: one more try
  }

  auto url = ParseRtspUrl(config_.url);
  if (!url.ok()) {
    return Finish(FailedExchange(CameraState::kProtocolError, "bad camera URL: " + url.error()));
  }
  std::string user = config_.user;
  std::string password = config_.password;
  if (user.empty() && url->has_credentials) {
    user = url->user;
    password = url->password;
  }
  // The exchange never outlives this probe's interest in it: Cancel() and
  // the destructor Abandon() it, which drops this callback.
  run_ = std::make_shared<internal::DescribeExchange>(
      io_,
      internal::ExchangeRequest{.url = std::move(*url),
                                .user = std::move(user),
                                .password = std::move(password),
                                .user_agent = config_.user_agent,
                                .deadline = deadline},
      [this](const ExchangeOutcome& outcome) { Finish(outcome); });
  run_->Begin();
}

void RtspProbe::Cancel() {
  if (!run_) return;
  if (Clock::now() >= run_deadline_) {
    std::exchange(run_, nullptr)->TimedOut();
    return;
  }
  std::exchange(run_, nullptr)->Abandon();
  if (auto done = std::exchange(done_, nullptr)) done();
}

void RtspProbe::SetCredentials(std::string user, std::string password) {
  if (user == config_.user && password == config_.password) return;
  config_.user = std::move(user);
  config_.password = std::move(password);
  locked_out_ = false;
}

void RtspProbe::Finish(const ExchangeOutcome& outcome) {
  const auto now = Clock::now();
  run_ = nullptr;
  ++probes_total_;
  if (outcome.state != CameraState::kOk) ++failures_total_;
  if (outcome.credentials_refused) {
    locked_out_ = true;
    locked_until_ = now + config_.lockout_backoff;
  }

  RtspProbeResult result;
  result.state = outcome.state;
  result.rtsp_status = outcome.rtsp_status;
  result.duration = now - run_started_;
  result.finished = std::chrono::system_clock::now();
  result.probes_total = probes_total_;
  result.failures_total = failures_total_;
  result.error = outcome.error;
  if (outcome.state == CameraState::kOk) {
    last_ok_.codec = outcome.codec;
    last_ok_.width = outcome.width;
    last_ok_.height = outcome.height;
    last_ok_.framerate = outcome.framerate;
  }
  result.codec = last_ok_.codec;
  result.width = last_ok_.width;
  result.height = last_ok_.height;
  result.framerate = last_ok_.framerate;

  // State changes only: 64 dead cameras must not flood the log.
  if (last_state_ != outcome.state) {
    const std::string url = RedactUrl(config_.url);
    if (outcome.state == CameraState::kOk) {
      spdlog::info("camera {} ({}) is ok: {} {}x{}", config_.camera_id, url, result.codec,
                   result.width, result.height);
    } else {
      spdlog::warn("camera {} ({}) is {}: {}", config_.camera_id, url,
                   CameraStateName(outcome.state), outcome.error);
    }
    last_state_ = outcome.state;
  }
  snapshot_.Publish(std::move(result));
  if (auto done = std::exchange(done_, nullptr)) done();
}

}  // namespace vms
