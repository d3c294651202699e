#pragma once

#include <optional>
#include <regex>
#include <string>
#include <string_view>

namespace vms::streaming_gateway {

// Turns a name another program chose (a MediaMTX path, a Janus opaque_id)
// into a camera_id: the regex's group 1 (the whole match without a group)
// when it matches the name, with every character outside
// [A-Za-z0-9_.:-] replaced by '_' and cut to 128 characters, so ids join
// with the recording node's. An empty regex takes the whole name.
class CameraIdRule {
 public:
  explicit CameraIdRule(const std::string& regex = "");
  // nullopt when the regex does not match or the id would be empty.
  std::optional<std::string> Apply(std::string_view name) const;

 private:
  std::optional<std::regex> regex_;
};

// `name` as a camera_id label value: [A-Za-z0-9_.:-], at most 128 characters.
std::string SanitizeCameraId(std::string_view name);

}  // namespace vms::streaming_gateway
