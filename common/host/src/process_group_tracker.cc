#include "vms/host/process_group_tracker.h"

#include <algorithm>

namespace vms {

const ProcessGroupStats& ProcessGroupTracker::Observe(
    const std::string& key, std::span<const ProcessRecord* const> matched) {
  Group& g = groups_[key];

  std::set<int> pids;
  for (const ProcessRecord* p : matched) pids.insert(p->pid);

  std::map<Identity, double> present;
  ProcessGroupStats& s = g.stats;
  s.up = false;
  s.resident_bytes = 0;
  s.threads = 0;
  s.open_fds = 0;
  s.start_time_seconds = 0;
  s.processes = 0;
  for (const ProcessRecord* p : matched) {
    const Identity id{p->pid, p->start_time_ticks};
    double cpu = p->cpu_seconds;
    if (auto it = g.cpu_seconds.find(id); it != g.cpu_seconds.end()) {
      cpu = std::max(cpu, it->second);
    } else if (g.seen_any && !pids.contains(p->ppid)) {
      ++s.restarts_total;
    }
    present[id] = cpu;

    if (!p->running()) continue;
    s.up = true;
    ++s.processes;
    s.resident_bytes += p->resident_bytes;
    s.threads += p->threads;
    if (s.open_fds && p->open_fds) {
      *s.open_fds += *p->open_fds;
    } else {
      s.open_fds.reset();
    }
    if (s.start_time_seconds == 0 || p->start_time_seconds < s.start_time_seconds) {
      s.start_time_seconds = p->start_time_seconds;
    }
  }

  for (const auto& [id, cpu] : g.cpu_seconds) {
    if (!present.contains(id)) g.departed_cpu_seconds += cpu;
  }
  g.cpu_seconds = std::move(present);
  double cpu_total = g.departed_cpu_seconds;
  for (const auto& [id, cpu] : g.cpu_seconds) cpu_total += cpu;
  s.cpu_seconds_total = std::max(s.cpu_seconds_total, cpu_total);
  if (!matched.empty()) g.seen_any = true;
  return s;
}

void ProcessGroupTracker::Retain(const std::set<std::string, std::less<>>& keys) {
  std::erase_if(groups_, [&](const auto& entry) { return !keys.contains(entry.first); });
}

const ProcessGroupStats* ProcessGroupTracker::Find(std::string_view key) const {
  const auto it = groups_.find(key);
  return it == groups_.end() ? nullptr : &it->second.stats;
}

void ProcessGroupTracker::Write(MetricWriter& out, const ProcessGroupMetricNames& names) const {
  const std::string& p = names.prefix;
  auto each = [&](FamilyWriter family, auto value) {
    for (const auto& [key, g] : groups_) {
      if (auto v = value(g.stats)) family.Add({{names.label, key}}, static_cast<double>(*v));
    }
  };
  auto always = [](auto field) {
    return [field](const ProcessGroupStats& s) { return std::optional<double>(s.*field); };
  };
  each(out.Gauge(p + "_up", "1 if a matched process runs (zombies do not count)."),
       [](const ProcessGroupStats& s) { return std::optional<double>(s.up ? 1 : 0); });
  each(out.Counter(p + "_cpu_seconds_total",
                   "User and system CPU time of the matched processes, kept across restarts."),
       always(&ProcessGroupStats::cpu_seconds_total));
  each(out.Gauge(p + "_resident_memory_bytes", "Resident memory of the running processes."),
       always(&ProcessGroupStats::resident_bytes));
  each(out.Gauge(p + "_start_time_seconds",
                 "Start time of the oldest running process since the epoch; 0 when none runs."),
       always(&ProcessGroupStats::start_time_seconds));
  each(out.Counter(p + "_restarts_total",
                   "New processes seen after the first, not counting children of the group's "
                   "own processes; a reused PID is not one."),
       always(&ProcessGroupStats::restarts_total));
  each(out.Gauge(p + "_open_fds",
                 "Open file descriptors of the running processes; absent when unreadable."),
       [](const ProcessGroupStats& s) { return s.open_fds; });
  each(out.Gauge(p + "_threads", "Threads of the running processes."),
       always(&ProcessGroupStats::threads));
}

}  // namespace vms
