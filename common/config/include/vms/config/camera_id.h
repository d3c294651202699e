#pragma once

#include <string>
#include <string_view>

#include "vms/config/yaml_reader.h"

namespace vms {

// A camera_id label value: 1-128 characters of A-Z a-z 0-9 _ . : -, the same
// in every role, so a camera's series join across recording node, gateway
// and API server.
bool IsCameraId(std::string_view id);

// `key` of `map`, checked with IsCameraId. Throws ConfigError.
std::string ReadCameraId(MapReader& map, const std::string& key);

}  // namespace vms
