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

GatewayAccessLogs::~GatewayAccessLogs() {
  std::lock_guard lock(mu_);
  reader_.reset();  // stops the threads, which use traffic_ and regexes_
}

void GatewayAccessLogs::Apply(const std::vector<GatewayAccessLog>& logs) {
  std::lock_guard lock(mu_);
  if (reader_ && logs == config_) return;
  reader_.reset();  // writes each source's checkpoint: the new reader resumes there
  config_ = logs;
  traffic_->SetAccessLogs(!logs.empty());
  if (logs.empty()) return;
  auto regexes = std::make_shared<std::vector<std::regex>>();
  std::vector<AccessLogSourceConfig> sources;
  for (const auto& log : logs) {
    regexes->emplace_back(log.camera_id, std::regex::optimize);
    sources.push_back(log.source);
  }
  regexes_ = regexes;
  reader_ = std::make_unique<AccessLogReader>(
      std::move(sources),
      [traffic = traffic_, regexes](std::size_t index, const AccessLogSourceConfig&,
                                    std::span<const AccessRecord> records) {
        traffic->AddRecords((*regexes)[index], records);
      });
  reader_->Start();
}

std::vector<NamedLogStats> GatewayAccessLogs::Stats() const {
  std::lock_guard lock(mu_);
  return reader_ ? reader_->Stats() : std::vector<NamedLogStats>{};
}

}  // namespace vms::streaming_gateway
