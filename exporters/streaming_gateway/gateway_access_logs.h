#pragma once

#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <vector>

#include "streaming_gateway/gateway_traffic.h"
#include "vms/accesslog/access_log_reader.h"
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
// gateway's traffic. A reload that changes the list replaces the reader
// (each source resumes from its checkpoint); one that does not keeps it.
class GatewayAccessLogs {
 public:
  explicit GatewayAccessLogs(std::shared_ptr<GatewayTraffic> traffic)
      : traffic_(std::move(traffic)) {}
  ~GatewayAccessLogs();

  void Apply(const std::vector<GatewayAccessLog>& logs);
  // For vms_exporter_log_*: the current reader's sources. Thread-safe.
  std::vector<NamedLogStats> Stats() const;

 private:
  const std::shared_ptr<GatewayTraffic> traffic_;
  mutable std::mutex mu_;
  std::vector<GatewayAccessLog> config_;                    // guarded by mu_
  std::shared_ptr<const std::vector<std::regex>> regexes_;  // per source
  std::unique_ptr<AccessLogReader> reader_;                 // guarded by mu_
};

}  // namespace vms::streaming_gateway
