#include "streaming_gateway/traffic_collector.h"

#include <chrono>
#include <map>

namespace vms::streaming_gateway {

GatewayTraffic::TargetDuration TargetDurations(const StreamList& streams) {
  auto targets = std::make_shared<std::map<std::string, double>>();
  for (const auto& s : streams) {
    const auto hls = s->hls ? s->hls->Latest() : nullptr;
    if (!hls) continue;
    double longest = 0;
    for (const auto& v : hls->variants) {
      longest = std::max(longest, static_cast<double>(v.state.target_duration));
    }
    if (longest > 0) (*targets)[s->config.camera_id] = longest;
  }
  return [targets](const std::string& id) -> std::optional<double> {
    auto it = targets->find(id);
    if (it == targets->end()) return std::nullopt;
    return it->second;
  };
}

Status TrafficCollector::Collect(const ScrapeContext& /*ctx*/, MetricWriter& out) {
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  traffic_->Write(out, now, TargetDurations(*fleet_->Streams()));
  return Status::Ok();
}

}  // namespace vms::streaming_gateway
