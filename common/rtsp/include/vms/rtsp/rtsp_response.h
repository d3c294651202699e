#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vms {

struct RtspResponse {
  int status = 0;
  std::string reason;
  // In arrival order; a name may repeat (WWW-Authenticate often does).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // First value of the header `name` (case-insensitive), empty if absent.
  std::string_view Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  // Every value of the header `name`, in order.
  std::vector<std::string_view> Headers(std::string_view name) const;
};

// Limits that keep a hostile camera from making us allocate without bound.
struct RtspResponseLimits {
  std::size_t max_header_bytes = 16 * 1024;  // status line and headers
  std::size_t max_body_bytes = 64 * 1024;
};

struct RtspResponseParse {
  enum class Outcome { kNeedMore, kComplete, kMalformed };
  Outcome outcome = Outcome::kNeedMore;
  RtspResponse response;     // set when kComplete
  std::size_t consumed = 0;  // bytes of the input the response took, when kComplete
  std::string error;         // why, when kMalformed
};

// Parses one RTSP/1.0 response from the start of `bytes`, which holds what
// has arrived so far. Call again with more bytes on kNeedMore. Rejects as soon
// as the bytes cannot become a valid response: a first line that does not
// start "RTSP/", a header section over the limit even if incomplete, a
// Content-Length over the limit.
RtspResponseParse ParseRtspResponse(std::string_view bytes, const RtspResponseLimits& limits = {});

}  // namespace vms
