#include "api_server/api_requests.h"

#include <algorithm>

#include "api_server/shared_help.h"

namespace vms::api_server {
namespace {

using L = std::initializer_list<Label>;
using View3 = std::tuple<std::string_view, std::string_view, std::string_view>;
using View2 = std::tuple<std::string_view, std::string_view>;

}  // namespace

void ApiRequests::Configure(const RequestLimits& limits) {
  std::lock_guard lock(mu_);
  if (limits.buckets != limits_.buckets) timings_.clear();
  limits_ = limits;
}

void ApiRequests::SetSources(bool access_logs, bool login) {
  std::lock_guard lock(mu_);
  access_logs_ = access_logs;
  login_configured_ = login;
}

void ApiRequests::Add(const ApiRequestRules& rules, std::span<const AccessRecord> records) {
  std::lock_guard lock(mu_);
  for (const AccessRecord& r : records) AddOne(rules, r);
}

void ApiRequests::AddOne(const ApiRequestRules& rules, const AccessRecord& r) {
  const std::string_view endpoint = rules.routes.Match(r.path);
  const std::string_view method = MethodLabel(r.method);
  const std::string_view status = StatusLabel(r.status, status_buffer_);

  const View3 key{method, endpoint, status};
  auto it = requests_.find(key);
  if (it == requests_.end()) {
    if (requests_.size() >= limits_.max_series) {
      ++dropped_requests_;
    } else {
      it = requests_.emplace(RequestKey{method, endpoint, status}, 0).first;
    }
  }
  if (it != requests_.end()) ++it->second;

  const bool timed = r.request_time && !r.upgrade && !rules.latency_excluded.contains(endpoint);
  if (timed) {
    const View2 tkey{method, endpoint};
    auto t = timings_.find(tkey);
    if (t == timings_.end()) {
      if (timings_.size() >= limits_.max_series) {
        ++dropped_timings_;
      } else {
        t = timings_.emplace(TimingKey{method, endpoint}, Timing{}).first;
        t->second.buckets.assign(limits_.buckets.size(), 0);
      }
    }
    if (t != timings_.end()) {
      const double seconds = *r.request_time;
      const auto b = std::lower_bound(limits_.buckets.begin(), limits_.buckets.end(), seconds);
      if (b != limits_.buckets.end()) ++t->second.buckets[b - limits_.buckets.begin()];
      ++t->second.count;
      t->second.sum += seconds;
    }
  }

  const bool protected_route = rules.protected_routes.empty()
                                   ? rules.has_auth_fields
                                   : rules.protected_routes.contains(endpoint);
  if (auto jwt = ClassifyJwt(r, rules.has_auth_fields, protected_route)) {
    ++jwt_[static_cast<std::size_t>(*jwt)];
  }
  if (rules.login_route && endpoint == *rules.login_route && r.method == rules.login_method) {
    ++login_[static_cast<std::size_t>(ClassifyLogin(r.status))];
  }
}

void ApiRequests::Write(MetricWriter& out) const {
  std::lock_guard lock(mu_);
  if (!access_logs_) return;
  auto requests = out.Counter(
      "http_requests_total",
      "HTTP requests the API answered, from its access logs, by method (OTHER: a non-standard "
      "one), endpoint (the route template the path matched, or \"other\") and status.");
  for (const auto& [key, n] : requests_) {
    const auto& [method, endpoint, status] = key;
    requests.Add(L{{"method", method}, {"endpoint", endpoint}, {"status", status}},
                 static_cast<double>(n));
  }
  auto durations = out.Histogram(
      "http_request_duration_seconds",
      "Request time from the access log ($request_time: first byte read to last byte sent), by "
      "method and endpoint. Websocket upgrades and latency_excluded_routes are not in it.");
  for (const auto& [key, t] : timings_) {
    const auto& [method, endpoint] = key;
    durations.AddHistogram(L{{"method", method}, {"endpoint", endpoint}},
                           HistogramData{limits_.buckets, t.buckets, t.count, t.sum});
  }
  auto jwt = out.Counter(
      "jwt_token_validations_total",
      "Requests with a bearer token or a Bearer challenge, by result: valid, expired and invalid "
      "(from the challenge's error and error_description), missing (challenged without a "
      "token), insufficient_scope, rejected (refused, in a log format that does not say why).");
  for (std::size_t i = 0; i < jwt_.size(); ++i) {
    jwt.Add(L{{"result", kJwtResultNames[i]}}, static_cast<double>(jwt_[i]));
  }
  if (login_configured_) {
    auto login = out.Counter(
        "auth_login_attempts_total",
        "Requests to the login_route with its method, by result: success (2xx, 3xx), failure "
        "(other 4xx), throttled (429), error (5xx).");
    for (std::size_t i = 0; i < login_.size(); ++i) {
      login.Add(L{{"result", kLoginResultNames[i]}}, static_cast<double>(login_[i]));
    }
  }
  out.Counter("vms_exporter_series_dropped_total", kSeriesDroppedHelp)
      .Add(L{{"reason", "requests_cap"}, {"source", "access_log"}},
           static_cast<double>(dropped_requests_))
      .Add(L{{"reason", "durations_cap"}, {"source", "access_log"}},
           static_cast<double>(dropped_timings_));
}

std::vector<EndpointSummary> ApiRequests::Summary(std::size_t max) const {
  std::lock_guard lock(mu_);
  std::map<std::string_view, EndpointSummary> by_endpoint;
  for (const auto& [key, n] : requests_) {
    const auto& [method, endpoint, status] = key;
    EndpointSummary& s = by_endpoint[endpoint];
    s.requests += n;
    if (!status.empty() && status[0] == '5') s.errors += n;
  }
  for (const auto& [key, t] : timings_) {
    EndpointSummary& s = by_endpoint[std::get<1>(key)];
    s.seconds += t.sum;
    s.timed += t.count;
  }
  std::vector<EndpointSummary> rows;
  for (auto& [endpoint, s] : by_endpoint) {
    s.endpoint = std::string(endpoint);
    rows.push_back(std::move(s));
  }
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.requests > b.requests; });
  if (rows.size() > max) rows.resize(max);
  return rows;
}

}  // namespace vms::api_server
