#include "streaming_gateway/janus_tracker.h"

#include <algorithm>

#include "streaming_gateway/running_total.h"

namespace vms::streaming_gateway {
namespace {

constexpr std::string_view kSource = "janus";
constexpr std::string_view kUnknownCamera = "unknown";
constexpr std::size_t kIceFailed = 0, kDtlsFailed = 1, kHangup = 2;

void AddSetup(JanusCameraTotals& t, double seconds) {
  const auto bucket = std::lower_bound(kSetupBuckets.begin(), kSetupBuckets.end(), seconds);
  if (bucket != kSetupBuckets.end()) ++t.setup_buckets[bucket - kSetupBuckets.begin()];
  ++t.setup_count;
  t.setup_sum += seconds;
}

}  // namespace

JanusTracker::JanusTracker(JanusTrackerOptions options, std::shared_ptr<CameraIdCap> cap)
    : options_(std::move(options)), opaque_rule_(options_.opaque_id_regex), cap_(std::move(cap)) {}

void JanusTracker::Apply(const std::vector<JanusEvent>& events) {
  std::lock_guard lock(mu_);
  for (const JanusEvent& e : events) ApplyOne(e);
  totals_.events += events.size();
}

void JanusTracker::Reject(JanusRejection why) {
  std::lock_guard lock(mu_);
  ++totals_.rejected[why];
}

void JanusTracker::ApplyOne(const JanusEvent& e) {
  if (e.type == kJanusCore && e.core_status == "started") {
    // A new Janus: the old one's handles are gone without events.
    handles_.clear();
    return;
  }
  if (e.type == kJanusSession && (e.name == "destroyed" || e.name == "timeout")) {
    for (auto it = handles_.begin(); it != handles_.end();) {
      auto next = std::next(it);
      if (it->second.session_id == e.session_id) End(it);
      it = next;
    }
    return;
  }
  if (e.type == kJanusHandle && e.name == "attached") return OnAttached(e);
  auto it = handles_.find(e.handle_id);
  if (it == handles_.end()) return;  // not a viewer's, or attached before we listened
  Handle& h = it->second;
  if (h.camera.empty() && !e.opaque_id.empty() && !options_.opaque_id_regex.empty()) {
    if (auto id = opaque_rule_.Apply(e.opaque_id)) Resolve(h, *id);
  }
  switch (e.type) {
    case kJanusHandle:
      if (e.name == "detached") End(it);
      break;
    case kJanusJsep:
      if (h.phase == Phase::kEnded) {  // a new PeerConnection on the same handle
        h.phase = Phase::kAttempting;
        h.attempt_counted = false;
        h.started_us = e.timestamp_us;
        h.media.clear();
        if (!h.camera.empty()) Camera(h);
      }
      break;
    case kJanusPlugin:
      if (!e.mountpoint.empty() && h.camera.empty()) {
        const auto mapped = options_.mountpoints.find(e.mountpoint);
        Resolve(h, mapped != options_.mountpoints.end() ? mapped->second
                                                        : SanitizeCameraId(e.mountpoint));
      }
      break;
    case kJanusWebrtc:
      if (h.phase == Phase::kAttempting) {
        if (e.connection == "webrtcup") {
          h.phase = Phase::kUp;
          if (JanusCameraTotals* t = Camera(h)) {
            ++t->successes;
            if (e.timestamp_us >= h.started_us && h.started_us != 0) {
              AddSetup(*t, static_cast<double>(e.timestamp_us - h.started_us) / 1e6);
            }
          }
        } else if (e.ice == "failed") {
          Fail(h, kIceFailed);
        } else if (e.dtls == "failed") {
          Fail(h, kDtlsFailed);
        } else if (e.connection == "hangup") {
          Fail(h, e.reason.find("DTLS") != std::string::npos ? kDtlsFailed : kHangup);
        }
      } else if (h.phase == Phase::kUp && e.connection == "hangup") {
        h.phase = Phase::kEnded;
      }
      break;
    case kJanusMedia:
      for (const JanusMediaStats& s : e.stats) OnStats(h, s);
      break;
    default:
      break;
  }
}

void JanusTracker::OnAttached(const JanusEvent& e) {
  if (!options_.plugins.empty() && std::find(options_.plugins.begin(), options_.plugins.end(),
                                             e.plugin) == options_.plugins.end()) {
    return;
  }
  if (handles_.contains(e.handle_id)) return;  // a retransmitted event
  if (handles_.size() >= options_.max_handles) {
    auto oldest = std::min_element(
        handles_.begin(), handles_.end(),
        [](const auto& a, const auto& b) { return a.second.order < b.second.order; });
    handles_.erase(oldest);
    ++totals_.handles_evicted;
  }
  Handle h;
  h.session_id = e.session_id;
  h.started_us = e.timestamp_us;
  h.order = next_order_++;
  Handle& stored = handles_.emplace(e.handle_id, std::move(h)).first->second;
  if (!options_.opaque_id_regex.empty() && !e.opaque_id.empty()) {
    if (auto id = opaque_rule_.Apply(e.opaque_id)) Resolve(stored, *id);
  }
}

void JanusTracker::Resolve(Handle& h, const std::string& candidate) {
  if (!h.camera.empty() || h.refused || candidate.empty()) return;
  h.camera = candidate;
  h.refused = !cap_->Admit(candidate, kSource);
  if (h.phase == Phase::kAttempting) Camera(h);
}

JanusCameraTotals* JanusTracker::Camera(Handle& h) {
  if (h.camera.empty() && !h.refused) {
    h.camera = kUnknownCamera;
    h.refused = !cap_->Admit(kUnknownCamera, kSource);
  }
  if (h.refused) return nullptr;
  JanusCameraTotals& t = totals_.cameras[h.camera];
  if (!h.attempt_counted) {
    h.attempt_counted = true;
    ++t.attempts;
  }
  return &t;
}

void JanusTracker::Fail(Handle& h, std::size_t stage) {
  h.phase = Phase::kEnded;
  if (JanusCameraTotals* t = Camera(h)) ++t->failures[stage];
}

void JanusTracker::End(std::map<std::uint64_t, Handle>::iterator it) {
  if (it->second.phase == Phase::kAttempting) Fail(it->second, kHangup);
  handles_.erase(it);
}

void JanusTracker::OnStats(Handle& h, const JanusMediaStats& s) {
  if (h.camera.empty() || h.refused) return;
  JanusCameraTotals& t = totals_.cameras[h.camera];
  MediaLast& last = h.media[s.mid];
  const auto grow = [](std::uint64_t& last_value, std::optional<std::uint64_t> now,
                       std::uint64_t& total) {
    if (!now) return;
    total += RunningTotal::Growth(last_value, *now);
    last_value = *now;
  };
  grow(last.packets_sent, s.packets_sent, t.packets_sent);
  grow(last.packets_received, s.packets_received, t.packets_received);
  grow(last.lost, s.lost, t.lost_inbound);
  grow(last.lost_by_remote, s.lost_by_remote, t.lost_outbound);
  // Janus writes 0 until RTCP measured a round trip.
  if (s.rtt_ms && *s.rtt_ms > 0) last.rtt_ms = *s.rtt_ms;
}

JanusTotals JanusTracker::Totals() const {
  std::lock_guard lock(mu_);
  JanusTotals out = totals_;
  out.handles_tracked = handles_.size();
  for (const auto& [id, h] : handles_) {
    if (h.phase != Phase::kUp || h.camera.empty() || h.refused) continue;
    JanusCameraTotals& t = out.cameras[h.camera];
    ++t.connected;
    for (const auto& [mid, m] : h.media) {
      if (m.rtt_ms) t.rtt_seconds = std::max(t.rtt_seconds.value_or(0), *m.rtt_ms / 1000);
    }
  }
  return out;
}

}  // namespace vms::streaming_gateway
