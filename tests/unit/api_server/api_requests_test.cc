#include "api_server/api_requests.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api_server/api_access_logs.h"
#include "api_server/role.h"
#include "support/metrics_text.h"
#include "vms/metrics/exposition_text.h"

namespace vms::api_server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Render(const ApiRequests& r) {
  std::vector<prometheus::MetricFamily> families;
  MetricWriter writer(&families);
  r.Write(writer);
  std::string text;
  AppendFamiliesText(std::move(families), text);
  return text;
}

double Sample(const std::string& text, const std::string& series) {
  return test::FindSample(text, series).value_or(-1);
}

AccessRecord Req(std::string method, std::string path, int status, double seconds,
                 std::optional<std::string> scheme = {},
                 std::optional<std::string> challenge = {}) {
  AccessRecord r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.status = status;
  r.request_time = seconds;
  r.auth_scheme = std::move(scheme);
  r.www_authenticate = std::move(challenge);
  return r;
}

ApiAccessLog Log(std::vector<std::string> routes) {
  ApiAccessLog log;
  log.routes = std::move(routes);
  log.login_route = "/api/login";
  return log;
}

TEST(ApiRequestsTest, CountsByRouteTemplateMethodAndStatus) {
  ApiRequests requests;
  requests.SetSources(true, true);
  const ApiRequestRules rules = CompileRules(Log({"/api/cameras/:id", "/api/login"}));
  const std::vector<AccessRecord> records = {
      Req("GET", "/api/cameras/cam1", 200, 0.004),  Req("GET", "/api/cameras/cam2", 200, 0.2),
      Req("GET", "/api/cameras/cam3", 404, 0.001),  Req("GET", "/secret/admin", 404, 0.001),
      Req("BREW", "/api/cameras/cam1", 405, 0.001), Req("POST", "/api/login", 200, 0.05),
      Req("POST", "/api/login", 401, 0.05),         Req("POST", "/api/login", 429, 0.05),
      Req("GET", "/api/login", 200, 0.05),  // not the login method
  };
  requests.Add(rules, records);
  const std::string text = Render(requests);
  EXPECT_EQ(
      Sample(text, R"(http_requests_total{method="GET",endpoint="/api/cameras/:id",status="200"})"),
      2);
  EXPECT_EQ(
      Sample(text, R"(http_requests_total{method="GET",endpoint="/api/cameras/:id",status="404"})"),
      1);
  EXPECT_EQ(Sample(text, R"(http_requests_total{method="GET",endpoint="other",status="404"})"), 1);
  EXPECT_EQ(
      Sample(text,
             R"(http_requests_total{method="OTHER",endpoint="/api/cameras/:id",status="405"})"),
      1);
  EXPECT_EQ(
      Sample(
          text,
          R"(http_request_duration_seconds_bucket{method="GET",endpoint="/api/cameras/:id",le="0.005"})"),
      2);
  EXPECT_EQ(
      Sample(
          text,
          R"(http_request_duration_seconds_bucket{method="GET",endpoint="/api/cameras/:id",le="0.25"})"),
      3);
  EXPECT_EQ(
      Sample(text,
             R"(http_request_duration_seconds_count{method="GET",endpoint="/api/cameras/:id"})"),
      3);
  EXPECT_NEAR(
      Sample(text,
             R"(http_request_duration_seconds_sum{method="GET",endpoint="/api/cameras/:id"})"),
      0.205, 1e-9);
  EXPECT_EQ(Sample(text, R"(auth_login_attempts_total{result="success"})"), 1);
  EXPECT_EQ(Sample(text, R"(auth_login_attempts_total{result="failure"})"), 1);
  EXPECT_EQ(Sample(text, R"(auth_login_attempts_total{result="throttled"})"), 1);
  EXPECT_EQ(Sample(text, R"(auth_login_attempts_total{result="error"})"), 0);
  EXPECT_THAT(text, Not(HasSubstr("cam1")));
  EXPECT_THAT(text, Not(HasSubstr("secret")));
}

TEST(ApiRequestsTest, UpgradesAndExcludedRoutesStayOutOfTheHistogram) {
  ApiRequests requests;
  requests.SetSources(true, false);
  ApiAccessLog log = Log({"/ws", "/api/events"});
  log.login_route.reset();
  log.latency_excluded_routes = {"/api/events"};
  AccessRecord ws = Req("GET", "/ws", 101, 30);
  ws.upgrade = true;
  requests.Add(CompileRules(log), std::vector{ws, Req("GET", "/api/events", 200, 25)});
  const std::string text = Render(requests);
  EXPECT_EQ(Sample(text, R"(http_requests_total{method="GET",endpoint="/ws",status="101"})"), 1);
  EXPECT_EQ(
      Sample(text, R"(http_requests_total{method="GET",endpoint="/api/events",status="200"})"), 1);
  EXPECT_THAT(text, Not(HasSubstr("http_request_duration_seconds_count{")));
  EXPECT_THAT(text, Not(HasSubstr("auth_login_attempts_total")));
}

TEST(ApiRequestsTest, JwtResultsAreAllWrittenAndCounted) {
  ApiRequests requests;
  requests.SetSources(true, false);
  requests.Add(CompileRules(Log({"/api/cameras/:id"})),
               std::vector{Req("GET", "/api/cameras/a", 200, 0.01, "Bearer"),
                           Req("GET", "/api/cameras/a", 401, 0.01, {}, "Bearer realm=\"vms\""),
                           Req("GET", "/api/cameras/a", 401, 0.01, "Bearer",
                               "Bearer error=\"invalid_token\", error_description=\"expired\""),
                           Req("GET", "/health", 200, 0.01)});
  const std::string text = Render(requests);
  EXPECT_EQ(Sample(text, R"(jwt_token_validations_total{result="valid"})"), 1);
  EXPECT_EQ(Sample(text, R"(jwt_token_validations_total{result="missing"})"), 1);
  EXPECT_EQ(Sample(text, R"(jwt_token_validations_total{result="expired"})"), 1);
  EXPECT_EQ(Sample(text, R"(jwt_token_validations_total{result="invalid"})"), 0);
  EXPECT_EQ(Sample(text, R"(jwt_token_validations_total{result="rejected"})"), 0);
}

TEST(ApiRequestsTest, SeriesBeyondTheCapAreDroppedAndCounted) {
  ApiRequests requests;
  requests.SetSources(true, false);
  requests.Configure(RequestLimits{.buckets = {0.1, 1}, .max_series = 2});
  std::vector<AccessRecord> records;
  for (int status : {200, 201, 202, 200}) records.push_back(Req("GET", "/x", status, 0.5));
  records.push_back(Req("POST", "/x", 200, 0.5));
  records.push_back(Req("PUT", "/x", 200, 0.5));
  requests.Add(CompileRules(Log({})), records);
  const std::string text = Render(requests);
  EXPECT_EQ(Sample(text, R"(http_requests_total{method="GET",endpoint="other",status="200"})"), 2);
  EXPECT_EQ(Sample(text, R"(http_requests_total{method="GET",endpoint="other",status="201"})"), 1);
  EXPECT_EQ(
      Sample(text,
             R"(vms_exporter_series_dropped_total{reason="requests_cap",source="access_log"})"),
      3);
  EXPECT_EQ(
      Sample(text,
             R"(vms_exporter_series_dropped_total{reason="durations_cap",source="access_log"})"),
      1);
  EXPECT_EQ(
      Sample(text, R"(http_request_duration_seconds_bucket{method="GET",endpoint="other",le="1"})"),
      4);
}

TEST(ApiRequestsTest, NothingWithoutAccessLogs) {
  ApiRequests requests;
  EXPECT_EQ(Render(requests), "");
}

std::string ErrorOf(const std::string& yaml) {
  try {
    Definition().Parse(yaml, "a.yml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(ApiAccessLogConfigTest, ParsesRoutesAndRules) {
  const Config c = Definition().Parse(
      "access_logs:\n  - path: /var/log/nginx/api.log\n    format: combined\n"
      "    routes: ['/api/cameras/:id', '/api/login']\n    protected_routes: ['/api/cameras/:id']\n"
      "    login_route: /api/login\nrequests:\n  buckets: [0.1, 0.5, 2]\n  max_series: 50\n",
      "a.yml");
  ASSERT_EQ(c.access_logs.size(), 1u);
  EXPECT_EQ(c.access_logs[0].source.format, AccessLogFormat::kCombined);
  EXPECT_EQ(c.access_logs[0].source.follower.state_dir, kDefaultStateDir);
  EXPECT_EQ(c.access_logs[0].login_route, "/api/login");
  EXPECT_EQ(c.requests.buckets, (std::vector<double>{0.1, 0.5, 2}));
  EXPECT_EQ(c.requests.max_series, 50u);
}

TEST(ApiAccessLogConfigTest, RefusesWhatCannotWork) {
  const std::string base = "access_logs:\n  - path: /l\n    routes: ['/a/:id']\n";
  EXPECT_THAT(ErrorOf(base + "    login_route: /login\n"), HasSubstr("is not one of routes"));
  EXPECT_THAT(ErrorOf(base + "    protected_routes: ['/b']\n"), HasSubstr("is not one of routes"));
  EXPECT_THAT(ErrorOf(base + "    login_method: BREW\n"), HasSubstr("login_method"));
  EXPECT_THAT(ErrorOf(base + "    openapi: /nonexistent.yaml\n"), HasSubstr("cannot read"));
  EXPECT_THAT(ErrorOf("access_logs:\n  - path: /l\n    routes: ['a']\n"),
              HasSubstr("does not start"));
  EXPECT_THAT(ErrorOf(base + "requests:\n  buckets: [1, 0.5]\n"), HasSubstr("ascending"));
  EXPECT_THAT(ErrorOf(base + "requests:\n  buckets: [x]\n"), HasSubstr("list of numbers"));
  EXPECT_THAT(ErrorOf(base + "    route: ['/x']\n"), HasSubstr("route"));
}

}  // namespace
}  // namespace vms::api_server
