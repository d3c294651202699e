// ApiProbes and HealthCollector without a server: targets that cannot be
// probed (a TLS setup error) or answer nothing (a closed loopback port), the
// exact series every target always has, and reloads keeping or replacing
// probes.
#include "api_server/health_collector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "api_server/api_probes.h"
#include "api_server/requests_collector.h"
#include "support/run_until.h"
#include "support/subprocess.h"
#include "vms/metrics/collector_set.h"
#include "vms/metrics/exposition_text.h"

namespace vms::api_server {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Render(Collector& c) {
  std::vector<prometheus::MetricFamily> families;
  MetricWriter writer(&families);
  EXPECT_TRUE(c.Collect({std::chrono::steady_clock::now() + 1s}, writer).ok());
  std::string text;
  AppendFamiliesText(std::move(families), text);
  return text;
}

std::vector<HealthCheckConfig> Parse(const std::string& yaml) {
  const std::string file = "/nonexistent/api.yml";
  MapReader root(ParseYaml(yaml, file), file, "");
  auto checks = ParseHealthChecks(root, ProbeDefaults{});
  root.Finish();
  return checks;
}

std::string ClosedPortConfig(unsigned short port, const std::string& extra = "") {
  return "health_checks:\n  - target: api\n    url: http://127.0.0.1:" + std::to_string(port) +
         "/health\n    interval: 100ms\n    timeout: 100ms\n    checks: [database, cache]\n" +
         extra;
}

TEST(HealthProbeTest, ReasonsOfEveryHttpFailure) {
  EXPECT_EQ(ReasonOf(HttpFailure::kResolve), HealthFailureReason::kConnect);
  EXPECT_EQ(ReasonOf(HttpFailure::kConnect), HealthFailureReason::kConnect);
  EXPECT_EQ(ReasonOf(HttpFailure::kRequest), HealthFailureReason::kConnect);
  EXPECT_EQ(ReasonOf(HttpFailure::kTls), HealthFailureReason::kTls);
  EXPECT_EQ(ReasonOf(HttpFailure::kTimeout), HealthFailureReason::kTimeout);
  EXPECT_EQ(ReasonOf(HttpFailure::kStatus), HealthFailureReason::kStatus);
  EXPECT_EQ(ReasonOf(HttpFailure::kBody), HealthFailureReason::kBody);
  EXPECT_EQ(ReasonOf(HttpFailure::kBodyTooLarge), HealthFailureReason::kBody);
  EXPECT_EQ(ReasonOf(HttpFailure::kProtocol), HealthFailureReason::kProtocol);
  EXPECT_EQ(ReasonOf(HttpFailure::kRedirects), HealthFailureReason::kProtocol);
  std::vector<std::string> names;
  for (auto r : kAllHealthFailureReasons) names.emplace_back(HealthFailureReasonName(r));
  EXPECT_EQ(names,
            (std::vector<std::string>{"connect", "tls", "timeout", "status", "body", "protocol"}));
}

TEST(HealthCollectorTest, NoTargetsNoApiSeries) {
  boost::asio::io_context io;
  auto probes = std::make_shared<ApiProbes>(io);
  HealthCollector c(probes);
  const std::string text = Render(c);
  EXPECT_THAT(text, Not(HasSubstr("api_up")));
  EXPECT_THAT(text, HasSubstr("vms_exporter_series_dropped_total{reason=\"health_check_cap\","
                              "source=\"health\"} 0\n"));
}

TEST(HealthCollectorTest, ClosedPortIsConnectFailureWithEverySeries) {
  boost::asio::io_context io;
  auto probes = std::make_shared<ApiProbes>(io);
  HealthCollector c(probes);
  const unsigned short port = test::FreePort();
  probes->ApplyHealth(Parse(ClosedPortConfig(port)));

  // Before the first probe ended: every series, at 0.
  std::string text = Render(c);
  EXPECT_THAT(text, HasSubstr("api_up{target=\"api\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("api_probes_total{target=\"api\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("api_health_check_up{target=\"api\",check=\"database\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("api_health_check_up{target=\"api\",check=\"cache\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("api_probe_status_code{target=\"api\"} 0\n"));

  auto target = probes->Health()->at(0);
  ASSERT_TRUE(target->probe);
  test::RunUntil(
      io,
      [&] {
        auto s = target->probe->Latest();
        return s->http && s->http->probes_total >= 2;
      },
      10s);
  text = Render(c);
  const auto snap = target->probe->Latest();
  const std::string n = std::to_string(snap->http->probes_total);
  EXPECT_THAT(text, HasSubstr("api_up{target=\"api\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("api_probes_total{target=\"api\"} " + n + "\n"));
  EXPECT_THAT(text,
              HasSubstr("api_probe_failures_total{target=\"api\",reason=\"connect\"} " + n + "\n"));
  for (const char* reason : {"tls", "timeout", "status", "body", "protocol"}) {
    EXPECT_THAT(text, HasSubstr(std::string("api_probe_failures_total{target=\"api\",reason=\"") +
                                reason + "\"} 0\n"));
  }
  for (const char* phase : {"resolve", "connect", "tls", "processing", "transfer"}) {
    EXPECT_THAT(text, HasSubstr(std::string("api_probe_duration_seconds{target=\"api\",phase=\"") +
                                phase + "\"}"));
  }
  EXPECT_THAT(text,
              HasSubstr("api_probe_duration_seconds{target=\"api\",phase=\"processing\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("api_probe_status_code{target=\"api\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("api_health_check_up{target=\"api\",check=\"database\"} 0\n"));
  EXPECT_THAT(text, Not(HasSubstr("api_tls_cert_expiry_timestamp_seconds{")));
  // The status page says why.
  std::vector<StatusTable> tables;
  c.AppendStatus(tables);
  ASSERT_EQ(tables.size(), 1u);
  ASSERT_EQ(tables[0].rows.size(), 1u);
  EXPECT_EQ(tables[0].rows[0][0], "api");
  EXPECT_EQ(tables[0].rows[0][1], "http://127.0.0.1:" + std::to_string(port) + "/health");
  EXPECT_THAT(tables[0].rows[0][2], HasSubstr("down (connect)"));
  EXPECT_EQ(tables[0].rows[0][4], "database failing, cache failing");
}

TEST(HealthCollectorTest, TlsSetupErrorIsShownAndTheTargetIsDown) {
  boost::asio::io_context io;
  auto probes = std::make_shared<ApiProbes>(io);
  HealthCollector c(probes);
  probes->ApplyHealth(
      Parse("health_checks:\n  - target: secure\n    url: https://127.0.0.1:1/health\n"
            "    tls_config:\n      ca_file: /nonexistent/ca.pem\n"));
  auto target = probes->Health()->at(0);
  EXPECT_FALSE(target->probe);
  EXPECT_THAT(target->setup_error, HasSubstr("/nonexistent/ca.pem"));
  const std::string text = Render(c);
  EXPECT_THAT(text, HasSubstr("api_up{target=\"secure\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("api_probe_failures_total{target=\"secure\",reason=\"tls\"} 0\n"));
  std::vector<StatusTable> tables;
  c.AppendStatus(tables);
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_THAT(tables[0].rows[0][2], HasSubstr("not probed: "));
  EXPECT_THAT(tables[0].rows[0][2], HasSubstr("ca.pem"));
}

TEST(ApiProbesTest, ReloadKeepsUnchangedProbesAndReplacesChangedOnes) {
  boost::asio::io_context io;
  ApiProbes probes(io);
  const unsigned short port = test::FreePort();
  probes.ApplyHealth(
      Parse(ClosedPortConfig(port) + "  - target: other\n    url: http://127.0.0.1:1/\n"));
  auto before = *probes.Health();
  ASSERT_EQ(before.size(), 2u);
  probes.ApplyHealth(
      Parse(ClosedPortConfig(port) + "  - target: other\n    url: http://127.0.0.1:2/\n"));
  auto after = *probes.Health();
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0]->config.target, "api");
  EXPECT_EQ(after[0].get(), before[0].get());  // same probe, counters kept
  EXPECT_EQ(after[1]->config.target, "other");
  EXPECT_NE(after[1].get(), before[1].get());
  probes.ApplyHealth({});
  EXPECT_TRUE(probes.Health()->empty());
}

TEST(ApiProbesTest, UrlShownIsRedacted) {
  boost::asio::io_context io;
  ApiProbes probes(io);
  // The config refuses a password in the URL; a config built in code is
  // shown redacted all the same.
  HealthCheckConfig c;
  c.target = "api";
  c.url = "http://u:Hunter2@127.0.0.1:1/health";
  probes.ApplyHealth({c});
  EXPECT_EQ(probes.Health()->at(0)->url_shown, "http://u:***@127.0.0.1:1/health");
}

// Both the access logs' requests and the health checks count dropped
// series: the scrape writes the family once, both sources' samples in it
// (two HELP lines are a parse error to Prometheus).
TEST(HealthCollectorTest, SeriesDroppedIsOneFamilyWithTheRequests) {
  boost::asio::io_context io;
  auto probes = std::make_shared<ApiProbes>(io);
  auto requests = std::make_shared<ApiRequests>();
  requests->SetSources(/*access_logs=*/true, /*login=*/false);
  CollectorSet set;
  set.Add(std::make_unique<RequestsCollector>(requests));
  set.Add(std::make_unique<HealthCollector>(probes));
  const std::string text = set.Scrape({std::chrono::steady_clock::now() + 1s});
  std::size_t helps = 0;
  for (auto at = text.find("# HELP vms_exporter_series_dropped_total "); at != std::string::npos;
       at = text.find("# HELP vms_exporter_series_dropped_total ", at + 1)) {
    ++helps;
  }
  EXPECT_EQ(helps, 1u) << text;
  for (const char* series : {"{reason=\"requests_cap\",source=\"access_log\"} 0\n",
                             "{reason=\"durations_cap\",source=\"access_log\"} 0\n",
                             "{reason=\"health_check_cap\",source=\"health\"} 0\n",
                             "{reason=\"invalid_health_check\",source=\"health\"} 0\n"}) {
    EXPECT_THAT(text, HasSubstr(std::string("vms_exporter_series_dropped_total") + series));
  }
}

}  // namespace
}  // namespace vms::api_server
