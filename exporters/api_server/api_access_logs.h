#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api_server/api_requests.h"
#include "vms/accesslog/access_log_set.h"
#include "vms/accesslog/access_log_source.h"
#include "vms/config/yaml_reader.h"

namespace vms::api_server {

// Where checkpoints go unless an access log says otherwise (the packaged
// units' StateDirectory).
inline constexpr const char* kDefaultStateDir = "/var/lib/vms-exporters/api_server";

// One `access_logs:` item of the API server: the keys every role shares
// (path, format, name, ...) and its own:
//
//   routes: ['/api/cameras/:id', '/health']   # route templates: the endpoint label
//   openapi: /etc/vms-api/openapi.yaml        # and/or the paths of an OpenAPI file
//   openapi_base_path: /api                   # prefixed to them (default: basePath)
//   protected_routes: ['/api/cameras/:id']    # JWT results only on these (default:
//                                             #   every route, from the auth fields;
//                                             #   none in combined, which has none)
//   login_route: /api/login                   # auth_login_attempts_total
//   login_method: POST
//   latency_excluded_routes: ['/api/events']  # long polls: not in the histogram
struct ApiAccessLog {
  AccessLogSourceConfig source;
  std::vector<std::string> routes;  // the templates, `openapi:`'s included
  std::vector<std::string> protected_routes;
  std::optional<std::string> login_route;
  std::string login_method = "POST";
  std::vector<std::string> latency_excluded_routes;
  bool operator==(const ApiAccessLog&) const = default;
};

// `access_logs:` of the API server. Throws ConfigError.
std::vector<ApiAccessLog> ParseApiAccessLogs(MapReader& root);
// `requests:`. Throws ConfigError.
RequestLimits ParseRequestLimits(MapReader map);

// The rules one item's requests are counted by.
ApiRequestRules CompileRules(const ApiAccessLog& log);

// Follows the configured access logs and feeds their requests to the API's
// request counters (AccessLogSet: a reload that changes the list replaces
// the reader, one that does not keeps it).
class ApiAccessLogs {
 public:
  explicit ApiAccessLogs(std::shared_ptr<ApiRequests> requests);

  void Apply(const std::vector<ApiAccessLog>& logs) { logs_.Apply(logs); }
  // For vms_exporter_log_*. Thread-safe.
  std::vector<NamedLogStats> Stats() const { return logs_.Stats(); }

 private:
  AccessLogSet<ApiAccessLog> logs_;
};

}  // namespace vms::api_server
