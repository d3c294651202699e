#pragma once

#include <string_view>

namespace vms::streaming_gateway {

// HELP of the families that several of the gateway's collectors write, each
// with its own `source` label (collectors that write them return true from
// shares_families(), and the scrape writes each family once, with the first
// collector's HELP): so the text is one, here.

inline constexpr std::string_view kStreamUpHelp =
    "1 if the restream answers, by protocol and source (mediamtx: the path is ready in MediaMTX's "
    "control API, refreshed every poll).";
inline constexpr std::string_view kStreamViewersHelp =
    "Viewers of the stream now, by protocol and source (access log: distinct clients in the last "
    "window; mediamtx: the path's readers of that protocol, HLS muxers not counted; janus: "
    "PeerConnections up).";
inline constexpr std::string_view kStreamBytesSentHelp =
    "Bytes served to viewers, by protocol and source (mediamtx: its sessions' and HLS muxers' "
    "counters, kept monotonic across sessions ending and MediaMTX restarts).";
inline constexpr std::string_view kWebrtcAttemptsHelp =
    "WebRTC connection attempts, by source (mediamtx: a WebRTC session seen in the control API; "
    "janus: a handle attached, or a new offer on it after a hangup).";
inline constexpr std::string_view kWebrtcSuccessesHelp =
    "WebRTC connections established, by source (mediamtx: peerConnectionEstablished; janus: "
    "webrtcup).";
inline constexpr std::string_view kWebrtcFailuresHelp =
    "WebRTC connection attempts that ended before the connection was established, by stage and "
    "source (mediamtx: setup; janus: ice_failed, dtls_failed, hangup_before_webrtcup).";

}  // namespace vms::streaming_gateway
