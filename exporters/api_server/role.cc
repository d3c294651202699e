#include "api_server/role.h"

#include <memory>

#include "api_server/api_probes.h"
#include "api_server/health_collector.h"
#include "api_server/requests_collector.h"
#include "vms/app/exporter_runtime.h"
#include "vms/logtail/log_file_collector.h"
#include "vms/pg/database_collector.h"

namespace vms::api_server {
namespace {

void ParseOwn(MapReader& root, Config& config) {
  config.connections = ParseConnections(root.Map("connections"));
  config.access_logs = ParseApiAccessLogs(root);
  config.requests = ParseRequestLimits(root.Map("requests"));
  config.health_checks = ParseHealthChecks(root, config.probes);
  config.databases = pg::ParseDatabases(root, config.probes);
}

// The request counters and the readers that feed them, shared by the
// requests and access_log collectors and configured at every load.
struct AccessLogParts {
  std::shared_ptr<ApiRequests> requests = std::make_shared<ApiRequests>();
  std::shared_ptr<ApiAccessLogs> logs = std::make_shared<ApiAccessLogs>(requests);
};

// The health and database probes share the role's ProbeScheduler: made by
// whichever of their collectors is built first, each half applied at every
// load only when its collector is enabled.
struct Probes {
  std::shared_ptr<ApiProbes> probes;
  bool health = false;
  pg::DatabaseCollector* databases = nullptr;  // owned by the collector set
};

std::vector<CollectorSpec<RoleDeps<Config>>> OwnCollectors() {
  using Deps = RoleDeps<Config>;
  auto log_parts = std::make_shared<std::shared_ptr<AccessLogParts>>();
  auto logs = [log_parts](Deps& d) -> AccessLogParts& {
    if (!*log_parts) {
      *log_parts = std::make_shared<AccessLogParts>();
      d.config.Subscribe([p = log_parts->get()](const Config& cfg) {
        p->requests->Configure(cfg.requests);
        p->logs->Apply(cfg.access_logs);
      });
    }
    return **log_parts;
  };
  auto probe_parts = std::make_shared<std::shared_ptr<Probes>>();
  auto probes = [probe_parts](Deps& d) -> Probes& {
    if (!*probe_parts) {
      *probe_parts = std::make_shared<Probes>();
      (*probe_parts)->probes = std::make_shared<ApiProbes>(d.runtime.io());
      // Subscribers run at each load, after every collector is built, so
      // both halves are known by then.
      d.config.Subscribe([p = probe_parts->get()](const Config& cfg) {
        p->probes->SetConcurrency(cfg.probes.concurrency);
        if (p->health) p->probes->ApplyHealth(cfg.health_checks);
        if (p->databases) p->probes->ApplyDatabases(cfg.databases, *p->databases);
      });
    }
    return **probe_parts;
  };
  return {
      {"requests", "Requests by route, latency, JWT results and logins from the access logs", true,
       [logs](Deps& d) { return std::make_unique<RequestsCollector>(logs(d).requests); }},
      {"access_log", "The access logs followed: lines, parse errors, lag, rotations", true,
       [logs](Deps& d) {
         return std::make_unique<LogFileCollector>(
             "access_log", [l = logs(d).logs] { return l->Stats(); });
       }},
      {"connections", "Established TCP connections on the configured ports", true,
       [](Deps& d) {
         auto c = std::make_unique<ConnectionsCollector>(d.runtime.options().path_procfs);
         d.config.Subscribe([p = c.get()](const Config& cfg) { p->Configure(cfg.connections); });
         return c;
       }},
      {"health", "The API's health endpoints (health_checks:): up, phases, failures, checks", true,
       [probes](Deps& d) {
         Probes& p = probes(d);
         p.health = true;
         return std::make_unique<HealthCollector>(p.probes);
       }},
      {"databases", "PostgreSQL (databases:): up, probe queries, connections, statistics", true,
       [probes](Deps& d) {
         Probes& p = probes(d);
         auto c = std::make_unique<pg::DatabaseCollector>();
         p.databases = c.get();
         return c;
       }},
  };
}

}  // namespace

const RoleDefinition<Config>& Definition() {
  static const RoleDefinition<Config> role{
      .info = {"api_server", "api_server_exporter", ":9092",
               "Prometheus exporter for VMS API servers: requests by route, latency, JWT results "
               "and logins from the access logs, health endpoints, PostgreSQL, TCP connections, "
               "disks, NICs"},
      .own_default_config =
          "# No access logs: list them under access_logs: (path, format, routes).\n"
          "# No health endpoints or databases: list them under health_checks: (target, url)\n"
          "# and databases: (name, conninfo, password_file).\n",
      .parse_own = ParseOwn,
      .own_collectors = OwnCollectors,
  };
  return role;
}

}  // namespace vms::api_server
