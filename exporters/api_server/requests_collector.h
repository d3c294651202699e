#pragma once

#include <memory>
#include <mutex>

#include "api_server/api_requests.h"
#include "api_server/endpoint_rates.h"
#include "vms/metrics/collector.h"

namespace vms::api_server {

// http_requests_total, http_request_duration_seconds,
// jwt_token_validations_total and auth_login_attempts_total from the
// configured access logs (`access_logs:`), as counted in the background by
// the log readers; a scrape only copies the counters. Without access logs it
// writes nothing.
class RequestsCollector : public Collector {
 public:
  explicit RequestsCollector(std::shared_ptr<const ApiRequests> requests)
      : requests_(std::move(requests)) {}
  std::string_view name() const override { return "requests"; }
  // vms_exporter_series_dropped_total comes from the health checks too.
  bool shares_families() const override { return true; }
  Status Collect(const ScrapeContext& ctx, MetricWriter& out) override;
  // "API endpoints": the busiest routes' requests, 5xx, their rates over
  // the last minutes (from what scrapes and page views saw) and mean time.
  void AppendStatus(std::vector<StatusTable>& tables) const override;

 private:
  const std::shared_ptr<const ApiRequests> requests_;
  mutable std::mutex mu_;
  mutable EndpointRates rates_;  // guarded by mu_
};

}  // namespace vms::api_server
