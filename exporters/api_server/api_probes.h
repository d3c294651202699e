#pragma once

#include <boost/asio/io_context.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api_server/health_check_config.h"
#include "api_server/health_probe.h"
#include "vms/pg/database_collector.h"
#include "vms/pg/database_probe.h"
#include "vms/probe/probe_scheduler.h"

namespace vms::api_server {

// One health target as the collector sees it; immutable once published.
struct HealthTarget {
  HealthCheckConfig config;
  std::string url_shown;                // redacted: safe for the landing page
  std::shared_ptr<HealthProbe> probe;   // null when setup_error is set
  std::string setup_error;              // e.g. an unreadable ca_file
};
using HealthTargetList = std::vector<std::shared_ptr<const HealthTarget>>;

// The API server's background probes, health endpoints and PostgreSQL
// databases, on the role's one ProbeScheduler (probes.concurrency bounds them
// together). A reload keeps the probes whose config did not change (their
// counters with them) and replaces the others. Apply*() on the io_context's
// thread; Health() from any thread.
class ApiProbes {
 public:
  explicit ApiProbes(boost::asio::io_context& io);
  ~ApiProbes();
  ApiProbes(const ApiProbes&) = delete;
  ApiProbes& operator=(const ApiProbes&) = delete;

  // Recreates the scheduler (rescheduling every probe) when the
  // concurrency changed.
  void SetConcurrency(int concurrency);
  void ApplyHealth(const std::vector<HealthCheckConfig>& checks);
  // The databases' probes go to `collector`.
  void ApplyDatabases(const std::vector<pg::DatabaseConfig>& databases,
                      pg::DatabaseCollector& collector);

  std::shared_ptr<const HealthTargetList> Health() const;

 private:
  struct HealthEntry {
    std::shared_ptr<const HealthTarget> target;
    ProbeScheduler::Id id = 0;
  };
  struct DatabaseEntry {
    std::shared_ptr<pg::DatabaseProbe> probe;
    std::vector<ProbeScheduler::Id> ids;
  };
  void Schedule(HealthEntry& entry);
  void Schedule(DatabaseEntry& entry);

  boost::asio::io_context& io_;
  std::unique_ptr<ProbeScheduler> scheduler_;
  int concurrency_ = 0;
  std::map<std::string, HealthEntry> health_;        // by target; io thread only
  std::map<std::string, DatabaseEntry> databases_;   // by name; io thread only

  mutable std::mutex mu_;
  std::shared_ptr<const HealthTargetList> published_;  // guarded by mu_
};

}  // namespace vms::api_server
