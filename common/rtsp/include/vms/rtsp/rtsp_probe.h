#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "vms/probe/probe_scheduler.h"
#include "vms/base/snapshot.h"
#include "vms/rtsp/camera_state.h"

namespace vms {
namespace internal {
class DescribeExchange;
struct ExchangeOutcome;
}  // namespace internal

// One probe's outcome; published whole, never changed afterwards.
struct RtspProbeResult {
  CameraState state = CameraState::kTimeout;
  int rtsp_status = 0;                       // of the last response, 0 when none arrived
  std::chrono::duration<double> duration{};  // Start() to the result
  std::chrono::system_clock::time_point finished{};
  // From the DESCRIBE SDP when state is kOk (kept from the last ok probe
  // otherwise, so camera_info does not flap with the connection).
  std::string codec;  // H264, H265, MJPEG, ...
  int width = 0;      // 0 when the SDP announced no parameter sets
  int height = 0;
  std::optional<double> framerate;  // a=framerate, if present
  // Counters over the probe's lifetime; failures are results other than kOk.
  std::uint64_t probes_total = 0;
  std::uint64_t failures_total = 0;
  // Why it failed, for logs and the landing page; never holds credentials.
  std::string error;
};

struct RtspProbeConfig {
  std::string camera_id{};  // names the camera in log lines
  // rtsp://host[:port]/path. Credentials in the URL are used when `user` is
  // empty (recorders' command lines carry them), and never shown.
  std::string url{};
  std::string user{};
  std::string password{};
  // After credentials are refused, the camera is not asked again for this
  // long, or until SetCredentials() brings different ones: cameras ban an
  // address after a few bad logins.
  std::chrono::milliseconds lockout_backoff{std::chrono::minutes(30)};
  std::string user_agent = "vms-exporters";
};

// Proves a camera's stream with OPTIONS and DESCRIBE, never SETUP/PLAY, so it
// takes no stream slot on the camera. Answers one 401 challenge (Digest MD5
// or SHA-256, with or without qop, or Basic), plus one retry when the camera
// says the nonce was stale. Runs on the io_context given; Start(), Cancel()
// and SetCredentials() must be called on that io_context's thread; Latest()
// from anywhere.
class RtspProbe : public Probe {
 public:
  RtspProbe(boost::asio::io_context& io, RtspProbeConfig config);
  ~RtspProbe() override;
  RtspProbe(const RtspProbe&) = delete;
  RtspProbe& operator=(const RtspProbe&) = delete;

  void Start(std::chrono::steady_clock::time_point deadline, std::function<void()> done) override;
  // Closes the connection at once. At or after the deadline the run ends as
  // kTimeout; before it (the probe was removed) nothing is published.
  void Cancel() override;

  // New credentials end a lockout when they differ from the refused ones.
  void SetCredentials(std::string user, std::string password);

  // nullptr until the first probe finished.
  std::shared_ptr<const RtspProbeResult> Latest() const { return snapshot_.Read(); }

 private:
  void Finish(const internal::ExchangeOutcome& outcome);

  boost::asio::io_context& io_;
  RtspProbeConfig config_;
  Snapshot<RtspProbeResult> snapshot_;
  std::shared_ptr<internal::DescribeExchange> run_;  // the run in flight, if any
  std::chrono::steady_clock::time_point run_started_{};
  std::chrono::steady_clock::time_point run_deadline_{};
  std::function<void()> done_;

  std::uint64_t probes_total_ = 0;
  std::uint64_t failures_total_ = 0;
  std::optional<CameraState> last_state_;  // for logging changes only
  RtspProbeResult last_ok_;                // codec and size survive failures

  // Lockout after refused credentials.
  bool locked_out_ = false;
  std::chrono::steady_clock::time_point locked_until_{};
};

}  // namespace vms
