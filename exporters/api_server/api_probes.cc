#include "api_server/api_probes.h"

#include <spdlog/spdlog.h>

#include "vms/base/url_credentials.h"

namespace vms::api_server {

ApiProbes::ApiProbes(boost::asio::io_context& io) : io_(io) { SetConcurrency(ProbeDefaults{}.concurrency); }

ApiProbes::~ApiProbes() {
  if (scheduler_) scheduler_->Stop();
  for (auto& [name, entry] : databases_) entry.probe->Shutdown();
}

void ApiProbes::SetConcurrency(int concurrency) {
  if (scheduler_ && concurrency == concurrency_) return;
  if (scheduler_) scheduler_->Stop();
  scheduler_ = std::make_unique<ProbeScheduler>(io_, static_cast<std::size_t>(concurrency));
  concurrency_ = concurrency;
  for (auto& [target, entry] : health_) Schedule(entry);
  for (auto& [name, entry] : databases_) Schedule(entry);
}

void ApiProbes::Schedule(HealthEntry& entry) {
  const HealthCheckConfig& c = entry.target->config;
  if (entry.target->probe) entry.id = scheduler_->Add(entry.target->probe, {c.interval, c.timeout});
}

void ApiProbes::Schedule(DatabaseEntry& entry) {
  entry.ids.clear();
  for (auto& s : entry.probe->Schedules()) entry.ids.push_back(scheduler_->Add(s.probe, s.schedule));
}

void ApiProbes::ApplyHealth(const std::vector<HealthCheckConfig>& checks) {
  std::map<std::string, HealthEntry> next;
  for (const HealthCheckConfig& c : checks) {
    auto old = health_.find(c.target);
    if (old != health_.end() && old->second.target->config == c) {
      next.emplace(c.target, std::move(old->second));  // unchanged: keeps its counters
      health_.erase(old);
      continue;
    }
    if (old != health_.end()) {
      scheduler_->Remove(old->second.id);
      health_.erase(old);
    }
    auto target = std::make_shared<HealthTarget>();
    target->config = c;
    target->url_shown = RedactUrl(c.url);
    auto http = MakeHttpProbeConfig(c);
    if (http) {
      target->probe = std::make_shared<HealthProbe>(io_, c, std::move(*http));
      spdlog::info("probing health of {} at {}", c.target, target->url_shown);
    } else {
      target->setup_error = http.error();
      spdlog::error("health check {} ({}) not probed: {}", c.target, target->url_shown,
                    http.error());
    }
    HealthEntry entry{std::move(target), 0};
    Schedule(entry);
    next.emplace(c.target, std::move(entry));
  }
  for (auto& [target, entry] : health_) {
    scheduler_->Remove(entry.id);
    spdlog::info("no longer probing health of {}", target);
  }
  health_ = std::move(next);

  auto list = std::make_shared<HealthTargetList>();
  for (const auto& [target, entry] : health_) list->push_back(entry.target);
  std::lock_guard lock(mu_);
  published_ = std::move(list);
}

void ApiProbes::ApplyDatabases(const std::vector<pg::DatabaseConfig>& databases,
                               pg::DatabaseCollector& collector) {
  std::map<std::string, DatabaseEntry> next;
  std::vector<std::shared_ptr<const pg::DatabaseProbe>> probes;
  for (const pg::DatabaseConfig& c : databases) {
    auto old = databases_.find(c.name);
    if (old != databases_.end() && old->second.probe->config() == c) {
      probes.push_back(old->second.probe);
      next.emplace(c.name, std::move(old->second));
      databases_.erase(old);
      continue;
    }
    if (old != databases_.end()) {
      for (auto id : old->second.ids) scheduler_->Remove(id);
      old->second.probe->Shutdown();
      databases_.erase(old);
    }
    DatabaseEntry entry{pg::DatabaseProbe::Create(io_, c), {}};
    Schedule(entry);
    spdlog::info("probing database {} ({})", c.name, c.Describe());
    probes.push_back(entry.probe);
    next.emplace(c.name, std::move(entry));
  }
  for (auto& [name, entry] : databases_) {
    for (auto id : entry.ids) scheduler_->Remove(id);
    entry.probe->Shutdown();
    spdlog::info("no longer probing database {}", name);
  }
  databases_ = std::move(next);
  collector.SetProbes(std::move(probes));
}

std::shared_ptr<const HealthTargetList> ApiProbes::Health() const {
  std::lock_guard lock(mu_);
  return published_ ? published_ : std::make_shared<const HealthTargetList>();
}

}  // namespace vms::api_server
