#pragma once

#include <string_view>

#include "vms/base/status.h"

namespace vms {

struct VideoSize {
  int width = 0;
  int height = 0;
};

// Display size from an H.264 sequence parameter set NAL unit (header byte
// included, emulation prevention bytes still in place, as in
// sprop-parameter-sets), frame cropping applied. Handles the High profiles'
// chroma format, bit depths and scaling lists, and interlaced coding.
Result<VideoSize> ParseH264SpsSize(std::string_view nal);

}  // namespace vms
