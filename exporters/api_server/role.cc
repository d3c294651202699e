#include "api_server/role.h"

#include <memory>

#include "api_server/requests_collector.h"
#include "vms/app/exporter_runtime.h"
#include "vms/logtail/log_file_collector.h"

namespace vms::api_server {
namespace {

void ParseOwn(MapReader& root, Config& config) {
  config.connections = ParseConnections(root.Map("connections"));
  config.access_logs = ParseApiAccessLogs(root);
  config.requests = ParseRequestLimits(root.Map("requests"));
}

// The request counters and the readers that feed them, shared by the
// requests and access_log collectors and configured at every load.
struct AccessLogParts {
  std::shared_ptr<ApiRequests> requests = std::make_shared<ApiRequests>();
  std::shared_ptr<ApiAccessLogs> logs = std::make_shared<ApiAccessLogs>(requests);
};

std::vector<CollectorSpec<RoleDeps<Config>>> OwnCollectors() {
  using Deps = RoleDeps<Config>;
  auto parts = std::make_shared<std::shared_ptr<AccessLogParts>>();
  auto shared = [parts](Deps& d) -> AccessLogParts& {
    if (!*parts) {
      *parts = std::make_shared<AccessLogParts>();
      d.config.Subscribe([p = parts->get()](const Config& cfg) {
        p->requests->Configure(cfg.requests);
        p->logs->Apply(cfg.access_logs);
      });
    }
    return **parts;
  };
  return {
      {"requests", "Requests by route, latency, JWT results and logins from the access logs", true,
       [shared](Deps& d) { return std::make_unique<RequestsCollector>(shared(d).requests); }},
      {"access_log", "The access logs followed: lines, parse errors, lag, rotations", true,
       [shared](Deps& d) {
         return std::make_unique<LogFileCollector>(
             "access_log", [logs = shared(d).logs] { return logs->Stats(); });
       }},
      {"connections", "Established TCP connections on the configured ports", true,
       [](Deps& d) {
         auto c = std::make_unique<ConnectionsCollector>(d.runtime.options().path_procfs);
         d.config.Subscribe([p = c.get()](const Config& cfg) { p->Configure(cfg.connections); });
         return c;
       }},
  };
}

}  // namespace

const RoleDefinition<Config>& Definition() {
  static const RoleDefinition<Config> role{
      .info = {"api_server", "api_server_exporter", ":9092",
               "Prometheus exporter for VMS API servers: requests by route, latency, JWT results "
               "and logins from the access logs, TCP connections, disks, NICs"},
      .own_default_config =
          "# No access logs: list them under access_logs: (path, format, routes).\n",
      .parse_own = ParseOwn,
      .own_collectors = OwnCollectors,
  };
  return role;
}

}  // namespace vms::api_server
