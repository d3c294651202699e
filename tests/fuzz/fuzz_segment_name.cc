// ParseSegmentNameTime on arbitrary file names, as local time and as UTC.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vms/media/segment_name_time.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view name(reinterpret_cast<const char*>(data), size);
  for (const bool utc : {false, true}) {
    if (const auto t = vms::media::ParseSegmentNameTime(name, utc); t && !std::isfinite(*t)) {
      std::abort();
    }
  }
  return 0;
}
