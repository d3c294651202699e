#include "vms/host/process_group_collector.h"

#include <set>

#include "vms/metrics/exposition_text.h"

namespace vms {

ProcessGroupCollector::ProcessGroupCollector(std::string procfs_root, Options options)
    : procfs_root_(std::move(procfs_root)), options_(std::move(options)) {}

void ProcessGroupCollector::Configure(const std::vector<ProcessGroupConfig>& configs) {
  std::vector<std::string> keys;
  std::vector<ProcessMatcher> matchers;
  keys.reserve(configs.size());
  matchers.reserve(configs.size());
  for (const auto& c : configs) {
    keys.push_back(c.name);
    matchers.emplace_back(c);
  }
  ProcessClassifier classifier(std::move(matchers));
  std::lock_guard lock(mu_);
  ++generation_;
  tracker_.Retain(std::set<std::string, std::less<>>(keys.begin(), keys.end()));
  keys_ = std::move(keys);
  classifier_ = std::move(classifier);
}

ProcessFields ProcessGroupCollector::needs() const {
  std::lock_guard lock(mu_);
  return classifier_.needs();
}

Status ProcessGroupCollector::Refresh() {
  {
    std::lock_guard lock(mu_);
    if (keys_.empty()) {
      ++generation_;
      return last_refresh_ = Status::Ok();
    }
  }
  auto table = ProcessTable::Read(procfs_root_, needs());
  return Refresh(table);
}

Status ProcessGroupCollector::Refresh(Result<ProcessTable>& table) {
  // One lock for the whole pass: the tracker's state moves forward once per
  // snapshot, and concurrent passes must not interleave snapshots.
  std::lock_guard lock(mu_);
  ++generation_;
  if (keys_.empty()) return last_refresh_ = Status::Ok();
  if (!table) return last_refresh_ = Status::Error("reading processes: " + table.error());

  std::vector<ProcessRecord>& processes = table->processes();
  const auto matched = classifier_.Classify(processes);
  // Details are costly (fd/ is listed): read once, and only for processes
  // some group watches.
  std::vector<bool> details_read(processes.size(), false);
  for (const auto& group : matched) {
    for (ProcessRecord* p : group) {
      const auto index = static_cast<std::size_t>(p - processes.data());
      if (details_read[index]) continue;
      table->ReadDetails(*p);
      details_read[index] = true;
    }
  }
  for (std::size_t i = 0; i < keys_.size(); ++i) tracker_.Observe(keys_[i], matched[i]);
  return last_refresh_ = Status::Ok();
}

Status ProcessGroupCollector::Collect(const ScrapeContext& /*ctx*/, MetricWriter& out) {
  if (!options_.refresh_in_background) {
    if (Status s = Refresh(); !s.ok()) return s;
  }
  std::lock_guard lock(mu_);
  if (keys_.empty()) return Status::Ok();
  if (!last_refresh_.ok()) return last_refresh_;
  tracker_.Write(out, options_.names);
  return Status::Ok();
}

Status ProcessGroupCollector::CollectText(const ScrapeContext& ctx, std::string& out) {
  if (!options_.refresh_in_background) return Collector::CollectText(ctx, out);
  std::lock_guard lock(mu_);
  if (keys_.empty()) return Status::Ok();
  if (!last_refresh_.ok()) return last_refresh_;
  if (text_generation_ != generation_) {
    std::vector<prometheus::MetricFamily> families;
    MetricWriter writer(&families);
    tracker_.Write(writer, options_.names);
    text_.clear();
    AppendFamiliesText(std::move(families), text_);
    text_generation_ = generation_;
  }
  out += text_;
  return Status::Ok();
}

std::optional<ProcessGroupStats> ProcessGroupCollector::Stats(std::string_view key) const {
  std::lock_guard lock(mu_);
  const ProcessGroupStats* s = tracker_.Find(key);
  if (s == nullptr) return std::nullopt;
  return *s;
}

void ProcessGroupCollector::AppendStatus(std::vector<StatusTable>& tables) const {
  std::lock_guard lock(mu_);
  if (keys_.empty()) return;
  StatusTable& t = tables.emplace_back();
  t.title = options_.status_title;
  t.columns = {options_.names.label, "up", "processes", "restarts"};
  for (const auto& key : keys_) {
    const ProcessGroupStats* s = tracker_.Find(key);
    if (s == nullptr) {
      t.rows.push_back({key, "not scraped yet", "", ""});
      continue;
    }
    t.rows.push_back({key, s->up ? "yes" : "no", std::to_string(s->processes),
                      std::to_string(s->restarts_total)});
  }
}

}  // namespace vms
