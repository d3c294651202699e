// The streaming gateway's JSON readers: Janus event handler posts and the
// four MediaMTX API answers (the first byte picks which).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "streaming_gateway/janus_event.h"
#include "streaming_gateway/mediamtx_api.h"

namespace sg = vms::streaming_gateway;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      (void)sg::ParseJanusEvents(body, 100);
      break;
    case 1:
      (void)sg::ParseMediaMtxInfo(body);
      break;
    case 2:
      (void)sg::ParseMediaMtxPaths(body);
      break;
    case 3:
      (void)sg::ParseMediaMtxSessions(body);
      break;
    case 4:
      (void)sg::ParseMediaMtxMuxers(body);
      break;
  }
  return 0;
}
