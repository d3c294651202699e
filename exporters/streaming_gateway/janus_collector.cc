#include "streaming_gateway/janus_collector.h"

#include <spdlog/spdlog.h>

#include "streaming_gateway/shared_help.h"

namespace vms::streaming_gateway {
namespace {

constexpr std::string_view kSource = "janus";

bool SameListener(const JanusConfig& a, const JanusConfig& b) {
  return a.listen_address == b.listen_address && a.username == b.username &&
         a.password == b.password && a.max_body_bytes == b.max_body_bytes;
}

bool SameTracker(const JanusTrackerOptions& a, const JanusTrackerOptions& b) {
  return a.plugins == b.plugins && a.opaque_id_regex == b.opaque_id_regex &&
         a.mountpoints == b.mountpoints && a.max_handles == b.max_handles;
}

}  // namespace

JanusCollector::JanusCollector(boost::asio::io_context& io, std::shared_ptr<CameraIdCap> cap)
    : io_(io), cap_(std::move(cap)) {}

JanusCollector::~JanusCollector() = default;

std::shared_ptr<const JanusCollector::State> JanusCollector::Current() const {
  std::lock_guard lock(mu_);
  return state_;
}

unsigned short JanusCollector::port() const {
  auto s = Current();
  return s ? s->port : 0;
}

void JanusCollector::Apply(const JanusConfig& config) {
  auto old = Current();
  if (!config.enabled) {
    receiver_.reset();
    std::lock_guard lock(mu_);
    state_ = nullptr;
    return;
  }
  auto next = std::make_shared<State>();
  next->config = config;
  if (old && SameTracker(old->config.tracker, config.tracker)) {
    next->cap = old->cap;
    next->tracker = old->tracker;
  } else {
    if (old) spdlog::warn("janus: camera rules changed; the WebRTC counters start over");
    next->cap = cap_;
    next->tracker = std::make_shared<JanusTracker>(config.tracker, next->cap);
  }
  if (old && old->tracker == next->tracker && receiver_ && SameListener(old->config, config)) {
    next->listening = true;
    next->port = receiver_->port();
  } else {
    receiver_.reset();  // closes the old address before the new one binds
    auto receiver = std::make_shared<JanusReceiver>(
        io_,
        JanusReceiverOptions{config.listen_address, config.username, config.password,
                             config.max_body_bytes},
        next->tracker);
    if (Status s = receiver->Start(); !s.ok()) {
      spdlog::error("{}", s.message());
      next->error = s.message();
    } else {
      receiver_ = std::move(receiver);
      next->listening = true;
      next->port = receiver_->port();
    }
  }
  std::lock_guard lock(mu_);
  state_ = std::move(next);
}

Status JanusCollector::Collect(const ScrapeContext& /*ctx*/, MetricWriter& out) {
  const auto state = Current();
  if (!state) return Status::Ok();
  const JanusTotals totals = state->tracker->Totals();

  out.Gauge("vms_exporter_janus_up",
            "1 if the exporter listens for Janus' event handler posts (janus.listen_address).")
      .Add({}, state->listening ? 1 : 0);
  out.Counter("vms_exporter_janus_events_total", "Janus events received and applied.")
      .Add({}, static_cast<double>(totals.events));
  auto rejected = out.Counter("vms_exporter_janus_rejected_requests_total",
                              "Posts to the Janus event receiver refused, by reason (bodies over "
                              "janus.max_body_bytes are refused with 413 before they are read and "
                              "are not counted here).");
  for (std::size_t i = 0; i < kRejectionCount; ++i) {
    rejected.Add({{"reason", kJanusRejectionNames[i]}}, static_cast<double>(totals.rejected[i]));
  }
  out.Gauge("vms_exporter_janus_handles", "Janus handles followed now.")
      .Add({}, static_cast<double>(totals.handles_tracked));
  out.Counter("vms_exporter_janus_handles_evicted_total",
              "Janus handles forgotten at janus.max_handles before they ended.")
      .Add({}, static_cast<double>(totals.handles_evicted));
  state->cap->WriteDropped(out, kSource);

  auto attempts = out.Counter("webrtc_connection_attempts_total", kWebrtcAttemptsHelp);
  auto successes = out.Counter("webrtc_connection_successes_total", kWebrtcSuccessesHelp);
  auto failures = out.Counter("webrtc_connection_failures_total", kWebrtcFailuresHelp);
  auto setup = out.Histogram("webrtc_connection_setup_seconds",
                             "Time from a Janus handle's attach (or new offer) to webrtcup, by "
                             "Janus' own event timestamps.");
  auto viewers = out.Gauge("stream_viewers", kStreamViewersHelp);
  auto rtt = out.Gauge("webrtc_rtt_seconds",
                       "The highest RTCP round-trip time among the camera's WebRTC connections "
                       "up now, from Janus' media statistics (every events.stats_period); absent "
                       "while none is measured.");
  auto sent = out.Counter("webrtc_packets_sent_total",
                          "RTP packets Janus sent to the camera's WebRTC viewers.");
  auto received = out.Counter("webrtc_packets_received_total",
                              "RTP packets Janus received from the camera's WebRTC peers.");
  auto lost = out.Counter("webrtc_packets_lost_total",
                          "RTP packets lost, by direction: outbound, sent by Janus and reported "
                          "lost by the viewer (loss ratio = rate(lost{direction=\"outbound\"}) / "
                          "rate(webrtc_packets_sent_total)); inbound, from the peer, missed by "
                          "Janus.");
  for (const auto& [camera, t] : totals.cameras) {
    const Label labels[] = {{"camera_id", camera}, {"source", kSource}};
    attempts.Add(labels, static_cast<double>(t.attempts));
    successes.Add(labels, static_cast<double>(t.successes));
    for (std::size_t i = 0; i < kJanusFailureStages.size(); ++i) {
      failures.Add({{"camera_id", camera}, {"stage", kJanusFailureStages[i]}, {"source", kSource}},
                   static_cast<double>(t.failures[i]));
    }
    setup.AddHistogram(labels,
                       HistogramData{kSetupBuckets, t.setup_buckets, t.setup_count, t.setup_sum});
    viewers.Add({{"camera_id", camera}, {"protocol", "webrtc"}, {"source", kSource}},
                static_cast<double>(t.connected));
    if (t.rtt_seconds) rtt.Add(labels, *t.rtt_seconds);
    sent.Add(labels, static_cast<double>(t.packets_sent));
    received.Add(labels, static_cast<double>(t.packets_received));
    lost.Add({{"camera_id", camera}, {"direction", "inbound"}, {"source", kSource}},
             static_cast<double>(t.lost_inbound));
    lost.Add({{"camera_id", camera}, {"direction", "outbound"}, {"source", kSource}},
             static_cast<double>(t.lost_outbound));
  }
  return Status::Ok();
}

void JanusCollector::AppendStatus(std::vector<StatusTable>& tables) const {
  const auto state = Current();
  if (!state) return;
  StatusTable table{"Janus events", {"listen address", "state", "handles", "events"}, {}};
  const JanusTotals totals = state->tracker->Totals();
  table.rows.push_back({state->config.listen_address,
                        state->listening ? "listening" : "not listening: " + state->error,
                        std::to_string(totals.handles_tracked), std::to_string(totals.events)});
  tables.push_back(std::move(table));
}

}  // namespace vms::streaming_gateway
