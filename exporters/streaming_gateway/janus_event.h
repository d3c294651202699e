#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vms/base/status.h"

namespace vms::streaming_gateway {

// Janus' event types (the "type" of an event handler event; janus/events.h).
enum JanusEventType : int {
  kJanusSession = 1,
  kJanusHandle = 2,
  kJanusExternal = 4,
  kJanusJsep = 8,
  kJanusWebrtc = 16,
  kJanusMedia = 32,
  kJanusPlugin = 64,
  kJanusTransport = 128,
  kJanusCore = 256,
};

// One media stats report of a PeerConnection's stream (type 32, subtype 3),
// counters cumulative since the PeerConnection started.
struct JanusMediaStats {
  std::string mid;               // the m-line; "audio"/"video" before Janus 1.0 had mids
  std::string media;             // audio, video, video-sim1, ...
  std::optional<double> rtt_ms;  // absent or 0 until an RTCP round trip was measured
  std::optional<std::uint64_t> packets_sent;
  std::optional<std::uint64_t> packets_received;
  std::optional<std::uint64_t> lost;            // from the peer, that Janus missed
  std::optional<std::uint64_t> lost_by_remote;  // from Janus, that the peer reports missed
};

// What the collectors need of one event handler event; everything else of
// it is ignored.
struct JanusEvent {
  int type = 0;
  int subtype = 0;  // 0 when absent (Janus before 1.0)
  std::uint64_t timestamp_us = 0;
  std::uint64_t session_id = 0;
  std::uint64_t handle_id = 0;
  std::string opaque_id;
  std::string name;    // session and handle events: created, destroyed, timeout, attached, detached
  std::string plugin;  // handle and plugin events
  // WebRTC events (type 16): one of these, by subtype.
  std::string ice;         // ICE state: gathering, connecting, connected, ready, failed
  std::string dtls;        // DTLS state: trying, connected, failed
  std::string connection;  // webrtcup, hangup
  std::string reason;      // of a hangup ("ICE failed", "DTLS alert", "Close PC", ...)
  std::string jsep_type;   // JSEP events (type 8): offer, answer
  // Plugin events (type 64) of the streaming plugin: the mountpoint watched
  // (its id, a number or a string) and the status (preparing, starting, ...).
  std::string mountpoint;
  std::string plugin_status;
  std::vector<JanusMediaStats> stats;  // media events (type 32) with statistics
  std::string core_status;             // core events (type 256): started, shutdown
};

struct JanusParseResult {
  std::vector<JanusEvent> events;
  std::size_t skipped = 0;  // elements that were not an event object with a type
};

// Parses what Janus' HTTP event handler (sampleevh) POSTs: one event object,
// or an array of them with `grouping` on. At most `max_events` are read;
// beyond is an error, as is anything that is not JSON.
Result<JanusParseResult> ParseJanusEvents(std::string_view body, std::size_t max_events = 10000);

}  // namespace vms::streaming_gateway
