#pragma once

#include <string_view>

namespace vms::streaming_gateway {

// HELP of the families that several of the gateway's collectors write (the
// restream probes, the access logs, MediaMTX, Janus), told apart by labels.
// Collectors that write them return true from shares_families(), and the
// scrape writes each family once with the first writer's HELP: so the text
// is one, here, and says what each source means.

inline constexpr std::string_view kStreamUpHelp =
    "1 if the restream answers, by protocol. The gateway's own probes (no source label): RTSP, "
    "a DESCRIBE with a video track (no PLAY), every probe_interval; HLS, the playlist read, "
    "parsed, live and fresh (a new segment within 3 target durations; with a master playlist, "
    "any variant), every hls_interval. source=mediamtx: the path is ready in MediaMTX's "
    "control API, every poll.";
inline constexpr std::string_view kStreamViewersHelp =
    "Viewers of the stream now, by protocol and source (access_log: distinct HLS clients, by "
    "session id else address and user agent never kept in the clear, with a successful request "
    "within 3 target durations, else limits.viewer_window; mediamtx: the path's readers of that "
    "protocol, HLS muxers not counted; janus: PeerConnections up).";
inline constexpr std::string_view kStreamBytesSentHelp =
    "Bytes served to viewers, by protocol and source (access_log: HLS responses, headers "
    "included; mediamtx: its sessions' and HLS muxers' counters, kept monotonic across sessions "
    "ending and MediaMTX restarts).";
inline constexpr std::string_view kWebrtcAttemptsHelp =
    "WebRTC connection attempts, by source (access_log: a WHEP offer, POST .../whep; mediamtx: "
    "a WebRTC session seen in the control API; janus: a handle attached, or a new offer on it "
    "after a hangup).";
inline constexpr std::string_view kWebrtcSuccessesHelp =
    "WebRTC connections established, by source (mediamtx: peerConnectionEstablished; janus: "
    "webrtcup).";
inline constexpr std::string_view kWebrtcFailuresHelp =
    "WebRTC connection attempts that failed, by stage and source (access_log: a WHEP offer "
    "answered 4xx or 5xx, stage signaling; mediamtx: setup; janus: ice_failed, dtls_failed, "
    "hangup_before_webrtcup).";

}  // namespace vms::streaming_gateway
