#include "streaming_gateway/mediamtx_collector.h"

#include <spdlog/spdlog.h>

#include "streaming_gateway/shared_help.h"
#include "vms/base/url_credentials.h"

namespace vms::streaming_gateway {
namespace {

constexpr std::string_view kSource = "mediamtx";
constexpr std::string_view kNotYet = "not polled yet";

}  // namespace

void MediaMtxCollector::Apply(const MediaMtxConfig& config) {
  std::lock_guard lock(mu_);
  if (!config.enabled) {
    state_ = nullptr;
    return;
  }
  auto next = std::make_shared<State>();
  next->config = config;
  if (state_ && state_->config.path_regex == config.path_regex) {
    next->cap = state_->cap;
    next->tracker = state_->tracker;
  } else {
    if (state_) spdlog::warn("mediamtx: path_regex changed; its counters start over");
    next->cap = cap_;
    next->tracker = std::make_shared<MediaMtxTracker>(config.path_regex, next->cap);
    up_ = false;
    polled_ = false;
    last_error_ = kNotYet;
  }
  state_ = std::move(next);
}

void MediaMtxCollector::Publish(Result<MediaMtxPoll> poll) {
  std::shared_ptr<const State> state;
  {
    std::lock_guard lock(mu_);
    state = state_;
    if (!state) return;
    // State changes only: a dead MediaMTX must not log every poll.
    if (!polled_ || poll.ok() != up_) {
      if (poll.ok()) {
        spdlog::info("mediamtx at {} answers", RedactUrl(state->config.url));
      } else {
        spdlog::warn("mediamtx at {}: {}", RedactUrl(state->config.url), poll.error());
      }
    }
    polled_ = true;
    up_ = poll.ok();
    last_error_ = poll.ok() ? "" : poll.error();
  }
  if (poll.ok()) state->tracker->Apply(*poll);
}

std::function<void(Result<MediaMtxPoll>)> MediaMtxCollector::Sink() {
  return [this, alive = std::weak_ptr<char>(alive_)](Result<MediaMtxPoll> poll) {
    if (!alive.expired()) Publish(std::move(poll));
  };
}

Status MediaMtxCollector::Collect(const ScrapeContext& /*ctx*/, MetricWriter& out) {
  std::shared_ptr<const State> state;
  bool up = false;
  {
    std::lock_guard lock(mu_);
    state = state_;
    up = up_;
  }
  if (!state) return Status::Ok();
  const MediaMtxTotals totals = state->tracker->Totals();

  out.Gauge("vms_exporter_mediamtx_up", "1 if the last poll of MediaMTX's control API succeeded.")
      .Add({}, up ? 1 : 0);
  if (totals.info && !totals.info->version.empty()) {
    out.Gauge("vms_exporter_mediamtx_info", "The MediaMTX version, from /v3/info (value 1).")
        .Add({{"version", totals.info->version}}, 1);
  }
  out.Counter("vms_exporter_mediamtx_polls_total", "Successful polls of MediaMTX's control API.")
      .Add({}, static_cast<double>(totals.polls));
  out.Counter("vms_exporter_mediamtx_restarts_total",
              "MediaMTX restarts seen (/v3/info's started or version changed).")
      .Add({}, static_cast<double>(totals.restarts));
  state->cap->WriteDropped(out, kSource);

  auto stream_up = out.Gauge("stream_up", kStreamUpHelp);
  auto viewers = out.Gauge("stream_viewers", kStreamViewersHelp);
  auto bytes = out.Counter("stream_bytes_sent_total", kStreamBytesSentHelp);
  auto attempts = out.Counter("webrtc_connection_attempts_total", kWebrtcAttemptsHelp);
  auto successes = out.Counter("webrtc_connection_successes_total", kWebrtcSuccessesHelp);
  auto failures = out.Counter("webrtc_connection_failures_total", kWebrtcFailuresHelp);
  for (const auto& [camera, t] : totals.cameras) {
    stream_up.Add({{"camera_id", camera}, {"protocol", "rtsp"}, {"source", kSource}},
                  t.up && up ? 1 : 0);
    for (std::size_t i = 0; i < kMediaMtxProtocols.size(); ++i) {
      const std::string_view protocol = kMediaMtxProtocols[i];
      const Label labels[] = {{"camera_id", camera}, {"protocol", protocol}, {"source", kSource}};
      if (protocol != "hls" || totals.hls_viewers_known) {
        viewers.Add(labels, static_cast<double>(t.viewers[i]));
      }
      bytes.Add(labels, static_cast<double>(t.bytes_sent[i]));
    }
    const Label labels[] = {{"camera_id", camera}, {"source", kSource}};
    attempts.Add(labels, static_cast<double>(t.webrtc_attempts));
    successes.Add(labels, static_cast<double>(t.webrtc_successes));
    failures.Add({{"camera_id", camera}, {"stage", "setup"}, {"source", kSource}},
                 static_cast<double>(t.webrtc_failures));
  }
  return Status::Ok();
}

void MediaMtxCollector::AppendStatus(std::vector<StatusTable>& tables) const {
  std::lock_guard lock(mu_);
  if (!state_) return;
  tables.push_back({"MediaMTX",
                    {"control API", "state"},
                    {{RedactUrl(state_->config.url), up_ ? "ok" : last_error_}}});
}

}  // namespace vms::streaming_gateway
