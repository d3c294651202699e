#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "streaming_gateway/camera_id_cap.h"
#include "streaming_gateway/camera_id_rule.h"
#include "streaming_gateway/janus_event.h"

namespace vms::streaming_gateway {

// How a Janus handle's camera is found, and what is tracked.
struct JanusTrackerOptions {
  // Plugins whose handles are WebRTC viewers; empty: every plugin.
  std::vector<std::string> plugins{"janus.plugin.streaming"};
  // camera_id from the handle's opaque_id (group 1); empty: not used.
  std::string opaque_id_regex{};
  // Streaming plugin mountpoint id → camera_id; a mountpoint not listed is
  // its own camera_id.
  std::map<std::string, std::string> mountpoints{};
  // Handles followed at once; beyond, the oldest is forgotten (its outcome
  // is never counted): lost detach events must not grow memory.
  std::size_t max_handles = 10000;

  bool operator==(const JanusTrackerOptions&) const = default;
};

// The stages a Janus PeerConnection fails at, as webrtc_connection_failures_total's
// stage label.
inline constexpr std::array<std::string_view, 3> kJanusFailureStages = {"ice_failed", "dtls_failed",
                                                                        "hangup_before_webrtcup"};

// webrtc_connection_setup_seconds' buckets: attach (or a new offer) to webrtcup.
inline constexpr std::array<double, 10> kSetupBuckets = {0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30};

// Everything counted for one camera; counters since the exporter started.
struct JanusCameraTotals {
  std::uint64_t attempts = 0;
  std::uint64_t successes = 0;
  std::array<std::uint64_t, kJanusFailureStages.size()> failures{};
  std::array<std::uint64_t, kSetupBuckets.size()> setup_buckets{};  // per bucket, not cumulative
  std::uint64_t setup_count = 0;
  double setup_sum = 0;
  std::uint64_t packets_sent = 0;
  std::uint64_t packets_received = 0;
  std::uint64_t lost_inbound = 0;   // from viewers to Janus
  std::uint64_t lost_outbound = 0;  // from Janus, reported lost by viewers
  // Now: PeerConnections up, and the worst RTT among them (absent: none measured).
  std::uint64_t connected = 0;
  std::optional<double> rtt_seconds;
};

// Why a post to the receiver was refused; the index of
// vms_exporter_janus_rejected_requests_total's reason.
enum JanusRejection : std::size_t { kUnauthorized, kBadEncoding, kBadBody, kRejectionCount };
inline constexpr std::array<std::string_view, kRejectionCount> kJanusRejectionNames = {
    "unauthorized", "bad_encoding", "bad_body"};

struct JanusTotals {
  std::map<std::string, JanusCameraTotals> cameras;       // by camera_id
  std::uint64_t events = 0;                               // events applied
  std::uint64_t handles_tracked = 0;                      // now
  std::uint64_t handles_evicted = 0;                      // forgotten at max_handles
  std::array<std::uint64_t, kRejectionCount> rejected{};  // posts refused, by reason
};

// Follows Janus handles through event handler events and counts each
// PeerConnection's attempt, success (webrtcup) or failure:
//   ice_failed              ICE state "failed" before webrtcup
//   dtls_failed             DTLS state "failed", or a hangup for a DTLS alert, before webrtcup
//   hangup_before_webrtcup  any other hangup, or the handle detached, before webrtcup
// A handle's attempt starts when it attaches; after a hangup, its next JSEP
// (a new offer on the same handle) starts another. The camera is the
// opaque_id's (opaque_id_regex) or else the streaming mountpoint's; one
// still unknown when the attempt ends is counted as camera_id "unknown".
// Timing uses Janus' own event timestamps, not arrival, so batching and
// retransmission do not skew setup times. Thread-safe.
class JanusTracker {
 public:
  JanusTracker(JanusTrackerOptions options, std::shared_ptr<CameraIdCap> cap);

  void Apply(const std::vector<JanusEvent>& events);
  void Reject(JanusRejection why);
  JanusTotals Totals() const;

 private:
  enum class Phase { kAttempting, kUp, kEnded };
  struct MediaLast {
    std::uint64_t packets_sent = 0, packets_received = 0, lost = 0, lost_by_remote = 0;
    std::optional<double> rtt_ms;  // the latest measured
  };
  struct Handle {
    std::uint64_t session_id = 0;
    std::uint64_t started_us = 0;  // the attempt's start (attach or offer)
    std::uint64_t order = 0;       // for eviction: lower is older
    std::string camera;            // empty until known
    bool refused = false;          // the camera was over the cap: nothing is counted
    bool attempt_counted = false;
    Phase phase = Phase::kAttempting;
    std::map<std::string, MediaLast> media;  // by mid
  };

  void ApplyOne(const JanusEvent& e);
  void OnAttached(const JanusEvent& e);
  void Resolve(Handle& h, const std::string& candidate);
  // The handle's camera's totals, counting its attempt first; null when the
  // camera is over the cap.
  JanusCameraTotals* Camera(Handle& h);
  void Fail(Handle& h, std::size_t stage);
  void End(std::map<std::uint64_t, Handle>::iterator it);
  void OnStats(Handle& h, const JanusMediaStats& s);

  const JanusTrackerOptions options_;
  const CameraIdRule opaque_rule_;
  std::shared_ptr<CameraIdCap> cap_;

  mutable std::mutex mu_;
  std::map<std::uint64_t, Handle> handles_;  // by handle_id; guarded by mu_
  std::uint64_t next_order_ = 0;             // guarded by mu_
  JanusTotals totals_;                       // guarded by mu_
};

}  // namespace vms::streaming_gateway
