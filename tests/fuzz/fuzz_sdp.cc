// ParseSdp and FindVideoTrack (with its base64 sprop-parameter-sets decoding)
// on arbitrary text, and the SPS parsers on whatever SPS the SDP announces.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vms/rtsp/h264_sps.h"
#include "vms/rtsp/h265_sps.h"
#include "vms/rtsp/sdp.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)vms::DecodeBase64Lenient(text);
  const auto sdp = vms::ParseSdp(text);
  if (!sdp.ok()) return 0;
  const auto track = vms::FindVideoTrack(*sdp);
  if (!track.ok()) return 0;
  for (const auto& sps : track->sps) {
    (void)vms::ParseH264SpsSize(sps);
    (void)vms::ParseH265SpsSize(sps);
  }
  return 0;
}
