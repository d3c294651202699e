#include "vms/host/process_group_collector.h"

#include <set>

namespace vms {

ProcessGroupCollector::ProcessGroupCollector(std::string procfs_root, Options options)
    : procfs_root_(std::move(procfs_root)), options_(std::move(options)) {}

void ProcessGroupCollector::Configure(const std::vector<ProcessGroupConfig>& configs) {
  std::vector<Group> groups;
  ProcessFields fields;
  std::set<std::string, std::less<>> keys;
  groups.reserve(configs.size());
  for (const auto& c : configs) {
    Group& g = groups.emplace_back(Group{c.name, ProcessMatcher(c)});
    fields.exe = fields.exe || g.matcher.needs().exe;
    fields.cmdline = fields.cmdline || g.matcher.needs().cmdline;
    keys.insert(c.name);
  }
  std::lock_guard lock(mu_);
  groups_ = std::move(groups);
  fields_ = fields;
  tracker_.Retain(keys);
}

Status ProcessGroupCollector::Collect(const ScrapeContext& /*ctx*/, MetricWriter& out) {
  // One lock for the whole scrape: the tracker's state moves forward once
  // per snapshot, and concurrent scrapes must not interleave snapshots.
  std::lock_guard lock(mu_);
  if (groups_.empty()) return Status::Ok();
  auto table = ProcessTable::Read(procfs_root_, fields_);
  if (!table) return Status::Error("reading processes: " + table.error());

  std::vector<std::vector<const ProcessRecord*>> matched(groups_.size());
  for (ProcessRecord& p : table->processes()) {
    bool details_read = false;
    for (std::size_t i = 0; i < groups_.size(); ++i) {
      if (!groups_[i].matcher.Matches(p)) continue;
      if (!details_read) {
        table->ReadDetails(p);
        details_read = true;
      }
      matched[i].push_back(&p);
    }
  }
  for (std::size_t i = 0; i < groups_.size(); ++i) tracker_.Observe(groups_[i].key, matched[i]);
  tracker_.Write(out, options_.names);
  return Status::Ok();
}

void ProcessGroupCollector::AppendStatus(std::vector<StatusTable>& tables) const {
  std::lock_guard lock(mu_);
  if (groups_.empty()) return;
  StatusTable& t = tables.emplace_back();
  t.title = "Processes";
  t.columns = {options_.names.label, "up", "processes", "restarts"};
  for (const auto& g : groups_) {
    const ProcessGroupStats* s = tracker_.Find(g.key);
    if (s == nullptr) {
      t.rows.push_back({g.key, "not scraped yet", "", ""});
      continue;
    }
    t.rows.push_back({g.key, s->up ? "yes" : "no", std::to_string(s->processes),
                      std::to_string(s->restarts_total)});
  }
}

}  // namespace vms
