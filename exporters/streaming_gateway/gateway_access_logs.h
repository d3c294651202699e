#pragma once

#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "streaming_gateway/gateway_traffic.h"
#include "vms/accesslog/access_log_set.h"
#include "vms/accesslog/access_log_source.h"
#include "vms/config/yaml_reader.h"

namespace vms::streaming_gateway {

// Where checkpoints go unless an access log says otherwise (the packaged
// units' StateDirectory).
inline constexpr const char* kDefaultStateDir = "/var/lib/vms-exporters/streaming_gateway";

// One `access_logs:` item of the gateway: the keys every role shares
// (path, format, name, ...) and the gateway's own `camera_id:`, a regex on
// the request path whose group 1 is the camera_id.
struct GatewayAccessLog {
  AccessLogSourceConfig source;
  std::string camera_id;
  bool operator==(const GatewayAccessLog&) const = default;
};

// `access_logs:` of the gateway. Throws ConfigError.
std::vector<GatewayAccessLog> ParseGatewayAccessLogs(MapReader& root);
// `limits:`. Throws ConfigError.
TrafficLimits ParseTrafficLimits(MapReader map);

// Follows the configured access logs and feeds their requests to the
// gateway's traffic (AccessLogSet: a reload that changes the list replaces
// the reader, one that does not keeps it).
class GatewayAccessLogs {
 public:
  explicit GatewayAccessLogs(std::shared_ptr<GatewayTraffic> traffic);

  void Apply(const std::vector<GatewayAccessLog>& logs) { logs_.Apply(logs); }
  // For vms_exporter_log_*. Thread-safe.
  std::vector<NamedLogStats> Stats() const { return logs_.Stats(); }

 private:
  AccessLogSet<GatewayAccessLog> logs_;
};

}  // namespace vms::streaming_gateway
