#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vms/base/status.h"

namespace vms {

struct SdpMedia {
  std::string type;  // "video", "audio", "application"
  std::vector<int> payload_types;
  struct RtpMap {
    std::string encoding;  // as written, e.g. "H264"
    int clock_rate = 0;
  };
  std::map<int, RtpMap> rtpmap;
  std::map<int, std::string> fmtp;  // payload type -> parameters after the type
  std::string control;
  std::optional<double> framerate;
  int width = 0;  // from a=x-dimensions or a=framesize, which some cameras send
  int height = 0;
};

struct SessionDescription {
  std::vector<SdpMedia> media;
  std::optional<double> framerate;  // session-level a=framerate
};

// Parses an SDP (RFC 8866) as a camera sends it in a DESCRIBE answer. Lenient
// about attributes it does not use; fails only when there is no v= line or a
// malformed m= line, the signs of a body that is not SDP at all.
Result<SessionDescription> ParseSdp(std::string_view text);

// What the probe reports about a camera's video.
struct VideoTrack {
  std::string codec;  // H264, H265, MJPEG, MPEG4, MPEG2, VP8, VP9, AV1, or the rtpmap name
  int payload_type = -1;
  std::vector<std::string> sps;  // decoded sequence parameter set NAL units, if announced
  std::optional<double> framerate;
  int width = 0;  // from SDP attributes only; SPS dimensions are parsed separately
  int height = 0;
};

// The first video section's track. An error when the SDP has no video section
// with a payload type.
Result<VideoTrack> FindVideoTrack(const SessionDescription& sdp);

// Standard base64 with or without padding (cameras differ); nullopt if it has
// characters outside the alphabet.
std::optional<std::string> DecodeBase64Lenient(std::string_view text);

}  // namespace vms
