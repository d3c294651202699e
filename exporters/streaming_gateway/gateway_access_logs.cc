#include "streaming_gateway/gateway_access_logs.h"

namespace vms::streaming_gateway {

std::vector<GatewayAccessLog> ParseGatewayAccessLogs(MapReader& root) {
  std::vector<std::string> camera_ids;
  const std::vector<AccessLogSourceConfig> sources = ParseAccessLogSources(
      root, "access_logs", kDefaultStateDir, [&](MapReader& item, std::size_t) {
        std::string re = item.Regex("camera_id");
        if (std::regex(re).mark_count() < 1) {
          item.Fail("camera_id", "needs a group: its first group is the camera_id");
        }
        camera_ids.push_back(std::move(re));
      });
  std::vector<GatewayAccessLog> logs;
  for (std::size_t i = 0; i < sources.size(); ++i) logs.push_back({sources[i], camera_ids[i]});
  return logs;
}

TrafficLimits ParseTrafficLimits(MapReader map) {
  TrafficLimits l;
  l.camera_ids = static_cast<std::size_t>(
      map.Integer("camera_ids", static_cast<long long>(l.camera_ids), 0, 100'000));
  l.clients = static_cast<std::size_t>(
      map.Integer("clients", static_cast<long long>(l.clients), 1, 10'000'000));
  l.viewer_window = map.Duration("viewer_window", l.viewer_window, std::chrono::seconds(1),
                                 std::chrono::hours(1));
  map.Finish();
  return l;
}

GatewayAccessLogs::GatewayAccessLogs(std::shared_ptr<GatewayTraffic> traffic)
    : logs_([traffic](const std::vector<GatewayAccessLog>& logs) -> AccessRecordConsumer {
        traffic->SetAccessLogs(!logs.empty());
        auto regexes = std::make_shared<std::vector<std::regex>>();
        for (const auto& log : logs) regexes->emplace_back(log.camera_id, std::regex::optimize);
        return [traffic, regexes](std::size_t index, const AccessLogSourceConfig&,
                                  std::span<const AccessRecord> records) {
          traffic->AddRecords((*regexes)[index], records);
        };
      }) {}

}  // namespace vms::streaming_gateway
