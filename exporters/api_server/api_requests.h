#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "api_server/api_request_rules.h"
#include "vms/accesslog/access_record.h"
#include "vms/metrics/metric_writer.h"

namespace vms::api_server {

// `requests:` what the access-log families may cost.
struct RequestLimits {
  // Upper bounds of http_request_duration_seconds, ascending.
  std::vector<double> buckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  // (method, endpoint, status) series of http_requests_total; a new one
  // beyond is not exported and is counted in vms_exporter_series_dropped_total.
  std::size_t max_series = 2000;
  bool operator==(const RequestLimits&) const = default;
};

// Per endpoint, for the landing page.
struct EndpointSummary {
  std::string endpoint;
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;  // 5xx
  double seconds = 0;        // sum of request times in the histogram
  std::uint64_t timed = 0;   // requests in the histogram
};

// The API's requests as its access logs tell them: http_requests_total,
// http_request_duration_seconds, jwt_token_validations_total and
// auth_login_attempts_total. Labels come only from bounded sets: endpoint is
// a configured route template or "other", method one of seven or "OTHER",
// status a number from 100 to 599 or "other"; (method, endpoint, status) and
// (method, endpoint) are capped at limits.max_series each. Websocket
// upgrades (101) and the routes of `latency_excluded_routes` (long polls)
// are counted in http_requests_total but kept out of the histogram: their
// request time is how long the connection stayed open. Thread-safe: every
// source's thread adds its records.
class ApiRequests {
 public:
  // At each config load. New buckets start the histograms over; counters stay.
  void Configure(const RequestLimits& limits);
  // Whether access logs are configured (then every family is written), and
  // whether one of them has a login_route (then auth_login_attempts_total).
  void SetSources(bool access_logs, bool login);

  void Add(const ApiRequestRules& rules, std::span<const AccessRecord> records);

  void Write(MetricWriter& out) const;
  // By endpoint, the busiest first, at most `max` of them.
  std::vector<EndpointSummary> Summary(std::size_t max) const;

 private:
  struct Timing {
    std::vector<std::uint64_t> buckets;  // not cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };
  using RequestKey = std::tuple<std::string, std::string, std::string>;  // method, endpoint, status
  using TimingKey = std::tuple<std::string, std::string>;                // method, endpoint
  // Orders string keys and string_view lookups alike, compared as views.
  // (std::less<> needs tuple<string_view...> <=> tuple<string...>, which
  // clang 14 with libstdc++ 12 does not resolve: the sanitizer build.)
  struct KeyLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return Views(a) < Views(b);
    }
    template <class... T>
    static auto Views(const std::tuple<T...>& t) {
      return std::apply([](const auto&... x) { return std::tuple{std::string_view(x)...}; }, t);
    }
  };

  void AddOne(const ApiRequestRules& rules, const AccessRecord& r);  // mu_ held

  mutable std::mutex mu_;
  RequestLimits limits_;                                         // guarded by mu_
  bool access_logs_ = false;                                     // guarded by mu_
  std::map<RequestKey, std::uint64_t, KeyLess> requests_;        // guarded by mu_
  std::map<TimingKey, Timing, KeyLess> timings_;                 // guarded by mu_
  std::array<std::uint64_t, kJwtResultNames.size()> jwt_{};      // guarded by mu_
  std::array<std::uint64_t, kLoginResultNames.size()> login_{};  // guarded by mu_
  bool login_configured_ = false;                                // guarded by mu_
  std::uint64_t dropped_requests_ = 0;                           // guarded by mu_
  std::uint64_t dropped_timings_ = 0;                            // guarded by mu_
  std::string status_buffer_;                                    // guarded by mu_
};

}  // namespace vms::api_server
