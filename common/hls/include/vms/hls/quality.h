#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "vms/hls/playlist.h"

namespace vms::hls {

// The `quality` label of stream_encoded_bytes_total for each variant of a
// master playlist, in its order: NAME when the packager wrote one, else
// RESOLUTION ("1280x720"), else BANDWIDTH in kbit/s ("800k"); characters
// outside [A-Za-z0-9_.-] become '_' and a NAME is cut at 32 bytes. Labels
// the master repeats get "_<kbit/s>k", then "_<index>", so they stay
// distinct. Past the first kMaxQualities variants every label is "other":
// the label's cardinality is bounded whatever the master lists.
inline constexpr std::size_t kMaxQualities = 8;
std::vector<std::string> QualityLabels(const MasterPlaylist& master);

// The label for a stream configured as a media playlist, which names no variant.
inline constexpr std::string_view kSingleQuality = "default";

}  // namespace vms::hls
