#pragma once

#include <optional>
#include <string_view>

namespace vms::media {

// Wall-clock start of a segment as written into its file name by the
// recorder, in Unix seconds. Recognised anywhere in the name, first match in
// this order:
//   %Y%m%d-%H%M%S        cam1_20240102-030405.ts
//   %Y-%m-%d_%H-%M-%S    cam1_2024-01-02_03-04-05.mkv
//   epoch seconds        cam1_1704164645.ts (a run of exactly 10 digits)
// Calendar forms are read as UTC when `utc`, else as local time (what
// strftime in a recorder writes by default). nullopt when none matches or the
// fields are out of range.
std::optional<double> ParseSegmentNameTime(std::string_view file_name, bool utc);

}  // namespace vms::media
