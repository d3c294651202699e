#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vms/base/status.h"

namespace vms::streaming_gateway {

// MediaMTX control API v3 responses as the collector needs them, read from
// both the field names of v1.0 (internal/core/api_defs.go) and of later
// versions (internal/defs/api_*.go), which renamed bytesSent to
// outboundBytes and ready to available and kept the old names as
// deprecated: the new name wins when both are present.

struct MediaMtxInfo {
  std::string version;  // "v1.12.0"
  std::string started;  // RFC 3339; changes when MediaMTX restarts
};

struct MediaMtxReader {
  std::string type;  // rtspSession, webRTCSession, hlsMuxer, ...
  std::string id;
};

struct MediaMtxPath {
  std::string name;
  bool available = false;  // "available", or "ready" before it
  std::vector<MediaMtxReader> readers;
};

// An RTSP(S) or WebRTC session, or an RTMP(S) or SRT connection.
struct MediaMtxSession {
  std::string id;
  std::string path;
  std::string state;             // idle, read, publish
  std::uint64_t bytes_sent = 0;  // outboundBytes or bytesSent
  // WebRTC sessions; absent from versions without the field.
  std::optional<bool> peer_connection_established;
};

struct MediaMtxMuxer {
  std::string path;
  std::string created;  // tells a new muxer of the same path from the old one
  std::uint64_t bytes_sent = 0;
};

template <typename T>
struct MediaMtxPage {
  std::size_t item_count = 0;
  std::size_t page_count = 0;
  std::vector<T> items;
};

// Each is a pure function of a response body; an error names what was wrong.
// Items without the fields that identify them (a path's name, a session's
// id) are skipped.
Result<MediaMtxInfo> ParseMediaMtxInfo(std::string_view body);
Result<MediaMtxPage<MediaMtxPath>> ParseMediaMtxPaths(std::string_view body);
Result<MediaMtxPage<MediaMtxSession>> ParseMediaMtxSessions(std::string_view body);
Result<MediaMtxPage<MediaMtxMuxer>> ParseMediaMtxMuxers(std::string_view body);

}  // namespace vms::streaming_gateway
