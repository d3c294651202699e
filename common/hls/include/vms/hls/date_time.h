#pragma once

#include <optional>
#include <string_view>

namespace vms::hls {

// An ISO 8601 / RFC 3339 date-time as EXT-X-PROGRAM-DATE-TIME carries it
// (RFC 8216 4.3.2.6): YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|+hhmm|+hh|-...),
// in Unix seconds. Fractions of any length (ffmpeg writes milliseconds),
// 't'/'z' in lower case and a missing offset (read as UTC, which is what
// encoders that omit it mean) are accepted; anything else is nullopt.
std::optional<double> ParseDateTime(std::string_view text);

}  // namespace vms::hls
