#pragma once

#include <string_view>

#include "vms/base/status.h"
#include "vms/rtsp/h264_sps.h"

namespace vms {

// Display size from an H.265 sequence parameter set NAL unit (two-byte
// header included, emulation prevention bytes in place, as in sprop-sps),
// with the conformance window applied.
Result<VideoSize> ParseH265SpsSize(std::string_view nal);

}  // namespace vms
