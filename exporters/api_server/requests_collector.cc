#include "api_server/requests_collector.h"

#include <fmt/format.h>

namespace vms::api_server {

// The landing page shows this many endpoints; /metrics has them all.
constexpr std::size_t kStatusRows = 50;

Status RequestsCollector::Collect(const ScrapeContext& /*ctx*/, MetricWriter& out) {
  requests_->Write(out);
  std::vector<EndpointSummary> totals = requests_->Summary(kStatusRows);
  std::lock_guard lock(mu_);
  rates_.Remember(EndpointRates::Clock::now(), totals);
  return Status::Ok();
}

void RequestsCollector::AppendStatus(std::vector<StatusTable>& tables) const {
  std::vector<EndpointSummary> rows = requests_->Summary(kStatusRows);
  if (rows.empty()) return;
  const auto now = EndpointRates::Clock::now();
  std::lock_guard lock(mu_);
  rates_.Remember(now, rows);
  StatusTable t{.title = "API endpoints",
                .columns = {"endpoint", "requests", "5xx", "req/s", "5xx/s", "mean seconds"},
                .rows = {}};
  for (const EndpointSummary& s : rows) {
    const auto rate = rates_.Of(now, s);
    t.rows.push_back(
        {s.endpoint, std::to_string(s.requests), std::to_string(s.errors),
         rate ? fmt::format("{:.2f}", rate->requests) : "-",
         rate ? fmt::format("{:.2f}", rate->errors) : "-",
         s.timed ? fmt::format("{:.3f}", s.seconds / static_cast<double>(s.timed)) : "-"});
  }
  tables.push_back(std::move(t));
}

}  // namespace vms::api_server
