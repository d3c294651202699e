#include "streaming_gateway/camera_id_cap.h"

namespace vms::streaming_gateway {

bool CameraIdCap::Admit(std::string_view id, std::string_view source) {
  std::lock_guard lock(mu_);
  if (configured_.contains(id) || admitted_.contains(id)) return true;
  if (admitted_.size() < max_ids_) {
    admitted_.emplace(id);
    return true;
  }
  bool count = true;
  if (refused_.size() < kMaxRemembered) {
    count = refused_.emplace(std::string(source) + '\0' + std::string(id)).second;
  }
  if (count) {
    auto it = dropped_.find(source);
    if (it == dropped_.end()) it = dropped_.emplace(std::string(source), 0).first;
    ++it->second;
  }
  return false;
}

void CameraIdCap::Configure(const std::vector<std::string>& configured, std::size_t max_ids) {
  std::lock_guard lock(mu_);
  configured_ = std::set<std::string, std::less<>>(configured.begin(), configured.end());
  max_ids_ = max_ids;
}

std::uint64_t CameraIdCap::dropped(std::string_view source) const {
  std::lock_guard lock(mu_);
  const auto it = dropped_.find(source);
  return it == dropped_.end() ? 0 : it->second;
}

void CameraIdCap::WriteDropped(MetricWriter& out, std::string_view source) const {
  out.Counter("vms_exporter_series_dropped_total", kSeriesDroppedHelp)
      .Add({{"reason", "camera_id_cap"}, {"source", source}}, static_cast<double>(dropped(source)));
}

}  // namespace vms::streaming_gateway
