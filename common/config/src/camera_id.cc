#include "vms/config/camera_id.h"

namespace vms {

bool IsCameraId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (const char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string ReadCameraId(MapReader& map, const std::string& key) {
  std::string id = map.String(key);
  if (!IsCameraId(id)) map.Fail(key, "must be 1-128 characters of A-Z a-z 0-9 _ . : -");
  return id;
}

}  // namespace vms
