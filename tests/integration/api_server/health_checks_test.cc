// The API server exporter's health_checks: against the real test backend
// (tests/support/api_backend.py), whose /health is switched between ok,
// down, slow, wrong body and failing checks through POST /_control.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <thread>

#include "support/exporter_process.h"
#include "support/http_client.h"
#include "support/metrics_text.h"
#include "support/subprocess.h"

namespace vms::test {
namespace {

using namespace std::chrono_literals;
using ::testing::Ge;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

std::string Api(const std::string& name, const std::string& extra = "") {
  return name + "{target=\"api\"" + (extra.empty() ? "" : "," + extra) + "}";
}
std::string Failures(const std::string& reason) {
  return Api("api_probe_failures_total", "reason=\"" + reason + "\"");
}
constexpr const char* kReasons[] = {"connect", "tls", "timeout", "status", "body", "protocol"};

class HealthChecksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_port_ = FreePort();
    backend_ = std::make_unique<Subprocess>(
        std::vector<std::string>{"/usr/bin/python3", SourcePath("tests/support/api_backend.py"),
                                 std::to_string(backend_port_)},
        dir_ + "/backend.log");
    ASSERT_TRUE(WaitForPort(backend_port_, 10s));
    const std::string password_file = dir_ + "/health.password";
    std::ofstream(password_file) << kPassword << "\n";
    const std::string config = dir_ + "/api.yml";
    std::ofstream(config) << "probes:\n  interval: 1s\n  timeout: 500ms\n"
                          << "health_checks:\n"
                          << "  - target: api\n"
                          << "    url: http://monitor@127.0.0.1:" << backend_port_ << "/health\n"
                          << "    password_file: health.password\n"
                          << "    body_regex: '\"status\"'\n"
                          << "    checks: [database, cache, storage]\n";
    exporter_ = std::make_unique<ExporterProcess>(
        "api_server_exporter", std::vector<std::string>{"--config.file=" + config});
    ASSERT_TRUE(exporter_->ready()) << exporter_->Log();
  }
  unsigned short port() const { return exporter_->port(); }
  void Control(const std::string& json) {
    ASSERT_EQ(HttpPost(backend_port_, "/_control", json).status, 204);
  }
  double Value(const std::string& body, const std::string& series) {
    return FindSample(body, series).value_or(-1);
  }
  // Waits until the backend's new mode has been probed twice, then the
  // counters move only for that mode.
  std::string SettledScrape() {
    const double before = Value(HttpGet(port(), "/metrics").body, Api("api_probes_total"));
    WaitForSample(port(), Api("api_probes_total"), SampleAtLeast(before + 2), 15s);
    return HttpGet(port(), "/metrics").body;
  }

  static constexpr char kPassword[] = "Hunter-Two-9";
  std::string dir_ = MakeTempDir();
  unsigned short backend_port_ = 0;
  std::unique_ptr<Subprocess> backend_;
  std::unique_ptr<ExporterProcess> exporter_;
};

TEST_F(HealthChecksTest, UpDownSlowWrongBodyAndFailingCheckCountExactly) {
  ASSERT_THAT(WaitForSample(port(), Api("api_up"), SampleEquals(1), 15s), Optional(1.0))
      << exporter_->Log();
  std::string body = HttpGet(port(), "/metrics").body;
  EXPECT_THAT(FindSample(body, Api("api_probe_status_code")), Optional(200.0));
  for (const char* check : {"database", "cache", "storage"}) {
    EXPECT_THAT(
        FindSample(body, Api("api_health_check_up", std::string("check=\"") + check + "\"")),
        Optional(1.0));
  }
  for (const char* reason : kReasons)
    EXPECT_THAT(FindSample(body, Failures(reason)), Optional(0.0));
  for (const char* phase : {"connect", "processing", "transfer"}) {
    EXPECT_GT(
        Value(body, Api("api_probe_duration_seconds", std::string("phase=\"") + phase + "\"")), 0.0)
        << phase;
  }
  EXPECT_THAT(FindSample(body, Api("api_probe_duration_seconds", "phase=\"tls\"")), Optional(0.0));
  EXPECT_FALSE(FindSample(body, Api("api_tls_cert_expiry_timestamp_seconds")));  // http only

  // Down: 503, every probe since the switch counted as status, nothing else.
  Control(R"({"health": "down"})");
  ASSERT_THAT(WaitForSample(port(), Api("api_up"), SampleEquals(0), 10s), Optional(0.0));
  body = HttpGet(port(), "/metrics").body;
  const double ok_probes = Value(body, Api("api_probes_total")) - Value(body, Failures("status"));
  body = SettledScrape();
  EXPECT_THAT(FindSample(body, Api("api_probe_status_code")), Optional(503.0));
  EXPECT_EQ(Value(body, Failures("status")), Value(body, Api("api_probes_total")) - ok_probes);
  EXPECT_THAT(FindSample(body, Api("api_health_check_up", "check=\"database\"")), Optional(0.0));
  EXPECT_THAT(FindSample(body, Api("api_health_check_up", "check=\"cache\"")), Optional(1.0));
  for (const char* reason : {"connect", "tls", "timeout", "body", "protocol"}) {
    EXPECT_THAT(FindSample(body, Failures(reason)), Optional(0.0)) << reason;
  }
  const double status_failures = Value(body, Failures("status"));

  // Slow beyond the timeout: timeouts, while scrapes still answer at once
  // (each within a client timeout well below the backend's 3 s delay).
  Control(R"({"health": "slow", "slow_seconds": 3})");
  ASSERT_THAT(WaitForSample(port(), Failures("timeout"), SampleAtLeast(2), 15s), Optional(Ge(2.0)));
  for (int i = 0; i < 5; ++i) {
    const HttpReply r = HttpRequestOnce(port(), "GET", "/metrics", {}, 1s);
    ASSERT_EQ(r.status, 200) << r.error;
    EXPECT_THAT(FindSample(r.body, Api("api_up")), Optional(0.0));
  }
  body = HttpGet(port(), "/metrics").body;
  EXPECT_THAT(FindSample(body, Api("api_probe_status_code")), Optional(0.0));
  EXPECT_EQ(Value(body, Failures("status")), status_failures);
  const double timeouts_total = [&] {
    Control(R"({"health": "wrongbody"})");
    // A probe in flight when the mode changed still times out.
    std::this_thread::sleep_for(3500ms);
    return Value(HttpGet(port(), "/metrics").body, Failures("timeout"));
  }();

  // Wrong body: 200 without "status": body.
  ASSERT_THAT(WaitForSample(port(), Failures("body"), SampleAtLeast(1), 10s), Optional(Ge(1.0)));
  body = HttpGet(port(), "/metrics").body;
  const double before_body = Value(body, Api("api_probes_total")) - Value(body, Failures("body"));
  body = SettledScrape();
  EXPECT_EQ(Value(body, Failures("body")), Value(body, Api("api_probes_total")) - before_body);
  EXPECT_EQ(Value(body, Failures("timeout")), timeouts_total);
  EXPECT_THAT(FindSample(body, Api("api_up")), Optional(0.0));
  EXPECT_THAT(FindSample(body, Api("api_probe_status_code")), Optional(200.0));
  const double body_failures = Value(body, Failures("body"));

  // A failing check: the endpoint is up, the cache check is not.
  Control(R"({"health": "ok", "failing_checks": ["cache"]})");
  ASSERT_THAT(WaitForSample(port(), Api("api_up"), SampleEquals(1), 10s), Optional(1.0));
  body = SettledScrape();
  EXPECT_THAT(FindSample(body, Api("api_health_check_up", "check=\"cache\"")), Optional(0.0));
  EXPECT_THAT(FindSample(body, Api("api_health_check_up", "check=\"database\"")), Optional(1.0));
  EXPECT_THAT(FindSample(body, Api("api_health_check_up", "check=\"storage\"")), Optional(1.0));
  EXPECT_EQ(Value(body, Failures("body")), body_failures);
  EXPECT_EQ(Value(body, Failures("status")), status_failures);
  EXPECT_THAT(FindSample(body,
                         "vms_exporter_series_dropped_total{reason=\"health_check_cap\","
                         "source=\"health\"}"),
              Optional(0.0));

  // The password is sent (Basic auth), never shown.
  EXPECT_THAT(HttpGet(backend_port_, "/_control").body,
              HasSubstr("\"health_authorization\": \"" +
                        BasicAuthorization(std::string("monitor:") + kPassword) + "\""));
  const std::string page = HttpGet(port(), "/").body;
  EXPECT_THAT(page, HasSubstr("http://127.0.0.1:" + std::to_string(backend_port_) + "/health"));
  EXPECT_THAT(page, HasSubstr("cache failing"));
  for (const std::string& text : {body, page, exporter_->Log()}) {
    EXPECT_THAT(text, Not(HasSubstr(kPassword)));
  }
  const auto lint = RunCommand("curl -s 127.0.0.1:" + std::to_string(port()) +
                               "/metrics | promtool check metrics");
  EXPECT_EQ(lint.output, "");
}

// A dead endpoint (nothing listens) is a connect failure; a reload that
// points the target elsewhere starts it over.
TEST_F(HealthChecksTest, RefusedIsConnectAndReloadAppliesTheNewUrl) {
  ASSERT_THAT(WaitForSample(port(), Api("api_up"), SampleEquals(1), 15s), Optional(1.0));
  const unsigned short dead = FreePort();
  const std::string config = dir_ + "/api.yml";
  std::ofstream(config) << "probes:\n  interval: 1s\n  timeout: 500ms\n"
                        << "health_checks:\n  - target: api\n    url: http://127.0.0.1:" << dead
                        << "/health\n";
  ASSERT_EQ(HttpPost(port(), "/-/reload", "").status, 200);
  ASSERT_THAT(WaitForSample(port(), Failures("connect"), SampleAtLeast(2), 10s), Optional(Ge(2.0)));
  const std::string body = HttpGet(port(), "/metrics").body;
  EXPECT_THAT(FindSample(body, Api("api_up")), Optional(0.0));
  // The new probe's counters start at 0: every probe so far was refused.
  EXPECT_EQ(Value(body, Failures("connect")), Value(body, Api("api_probes_total")));
  EXPECT_THAT(FindSample(body, Failures("status")), Optional(0.0));
  // Checks the old config listed are gone with it; none named by a body yet.
  EXPECT_FALSE(FindSample(body, Api("api_health_check_up", "check=\"cache\"")));
}

}  // namespace
}  // namespace vms::test
