// The H.264 and H.265 SPS size parsers on arbitrary NAL units (with or
// without emulation prevention bytes, truncated anywhere).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vms/rtsp/h264_sps.h"
#include "vms/rtsp/h265_sps.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view nal(reinterpret_cast<const char*>(data), size);
  (void)vms::ParseH264SpsSize(nal);
  (void)vms::ParseH265SpsSize(nal);
  return 0;
}
