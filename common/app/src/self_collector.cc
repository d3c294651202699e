#include "vms/app/self_collector.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include "vms/base/file.h"
#include "vms/procfs/pid_stat.h"
#include "vms/version.h"

namespace vms {
namespace {

int CountOpenFds() {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return -1;
  int count = 0;
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  ::closedir(dir);
  return count - 1;  // the descriptor opendir itself holds
}

}  // namespace

namespace {
Result<std::uint64_t> ReadBootTime() {
  auto text = ReadFile("/proc/stat");
  if (!text) return text.status();
  return ParseBootTime(*text);
}
}  // namespace

SelfCollector::SelfCollector(std::string role, const ReloadState* reload)
    : role_(std::move(role)), reload_(reload), boot_time_(ReadBootTime()) {}

Status SelfCollector::Collect(const ScrapeContext& /*ctx*/, MetricWriter& out) {
  out.Gauge("vms_exporter_build_info",
            "A constant 1 labelled with the exporter's role, version and git revision.")
      .Add({{"role", role_}, {"version", kVersion}, {"revision", kRevision}}, 1);
  if (reload_ != nullptr) {
    out.Gauge("vms_exporter_config_last_reload_successful",
              "1 if the last configuration load succeeded, else 0 (the previous config "
              "keeps running).")
        .Add({}, reload_->last_successful.load() ? 1 : 0);
    out.Gauge("vms_exporter_config_last_reload_success_timestamp_seconds",
              "When the configuration was last loaded successfully, in Unix seconds.")
        .Add({}, reload_->last_success_unix_seconds.load());
  }

  auto stat_text = ReadFile("/proc/self/stat");
  if (!stat_text) return stat_text.status();
  auto stat = ParsePidStat(*stat_text);
  if (!stat) return Status::Error("/proc/self/stat: " + stat.error());
  if (!boot_time_) return boot_time_.status();

  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
  out.Counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.")
      .Add({}, static_cast<double>(stat->utime_ticks + stat->stime_ticks) / ticks);
  out.Gauge("process_resident_memory_bytes", "Resident memory size in bytes.")
      .Add({}, static_cast<double>(stat->rss_pages) * page);
  out.Gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.")
      .Add({}, static_cast<double>(stat->vsize_bytes));
  out.Gauge("process_start_time_seconds",
            "Start time of the process since unix epoch in seconds.")
      .Add({}, static_cast<double>(*boot_time_) + static_cast<double>(stat->start_time_ticks) / ticks);
  if (const int fds = CountOpenFds(); fds >= 0) {
    out.Gauge("process_open_fds", "Number of open file descriptors.").Add({}, fds);
  }
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    out.Gauge("process_max_fds", "Maximum number of open file descriptors.")
        .Add({}, static_cast<double>(limit.rlim_cur));
  }
  return Status::Ok();
}

}  // namespace vms
