#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "vms/app/role_info.h"
#include "vms/base/status.h"
#include "vms/cli/command_line.h"
#include "vms/config/reload_state.h"
#include "vms/metrics/collector.h"
#include "vms/metrics/collector_set.h"

namespace vms {

// What every role's main() drives: one io_context for serving, probes,
// timers and signals; the collectors; the endpoints; reload and shutdown.
class ExporterRuntime {
 public:
  ExporterRuntime(RoleInfo role, CommonOptions options);
  ~ExporterRuntime();

  boost::asio::io_context& io() { return io_; }
  const CommonOptions& options() const { return options_; }
  ReloadState& reload_state() { return reload_state_; }

  // Builds each enabled collector of a role's table (plus the self collector).
  template <typename Deps>
  void AddCollectors(const std::vector<CollectorSpec<Deps>>& specs, Deps& deps) {
    for (const auto& spec : specs) {
      if (options_.CollectorEnabled(spec.name)) collectors_.Add(spec.make(deps));
    }
  }

  // Runs on the event loop for SIGHUP and POST /-/reload.
  void SetReloadHandler(std::function<Status()> reload) { reload_ = std::move(reload); }

  // Serves until SIGTERM or SIGINT; returns the process exit code.
  int Run();

  // The collector flags of a role's table, for ParseCommandLine.
  template <typename Deps>
  static std::vector<CollectorFlag> Flags(const std::vector<CollectorSpec<Deps>>& specs) {
    std::vector<CollectorFlag> flags;
    for (const auto& s : specs) flags.push_back({s.name, s.help, s.enabled_by_default});
    return flags;
  }

 private:
  Status ReloadFromAnyThread();

  RoleInfo role_;
  CommonOptions options_;
  boost::asio::io_context io_;
  ReloadState reload_state_;
  CollectorSet collectors_;
  std::function<Status()> reload_;
};

// Seconds of scrape budget from X-Prometheus-Scrape-Timeout-Seconds minus
// the offset; `fallback` when absent or malformed.
double ScrapeBudgetSeconds(std::string_view header, double offset, double fallback);

}  // namespace vms
