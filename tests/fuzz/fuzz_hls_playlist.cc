// ParsePlaylist on arbitrary text, and the start time of every segment of a
// media playlist it accepts.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vms/hls/playlist.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto playlist = vms::hls::ParsePlaylist(text);
  if (!playlist.ok()) return 0;
  if (const auto* media = playlist->media()) {
    for (std::size_t i = 0; i < media->segments.size(); ++i) {
      (void)vms::hls::SegmentStartTime(*media, i);
    }
    (void)media->EndSequence();
  }
  return 0;
}
