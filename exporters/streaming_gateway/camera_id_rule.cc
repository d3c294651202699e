#include "streaming_gateway/camera_id_rule.h"

namespace vms::streaming_gateway {
namespace {
constexpr std::size_t kMaxName = 512;
}  // namespace

CameraIdRule::CameraIdRule(const std::string& regex) {
  if (!regex.empty()) regex_.emplace(regex, std::regex::ECMAScript);
}

std::optional<std::string> CameraIdRule::Apply(std::string_view name) const {
  std::string id;
  if (!regex_) {
    id = SanitizeCameraId(name);
  } else {
    // std::regex recurses per character: a hostile name must not be long.
    if (name.size() > kMaxName) return std::nullopt;
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_search(name.begin(), name.end(), m, *regex_)) return std::nullopt;
    const std::size_t group = m.size() > 1 && m[1].matched ? 1 : 0;
    id = SanitizeCameraId(name.substr(static_cast<std::size_t>(m.position(group)),
                                      static_cast<std::size_t>(m.length(group))));
  }
  if (id.empty()) return std::nullopt;
  return id;
}

std::string SanitizeCameraId(std::string_view name) {
  std::string id(name.substr(0, 128));
  for (char& c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == ':' || c == '-';
    if (!ok) c = '_';
  }
  return id;
}

}  // namespace vms::streaming_gateway
