// The API server exporter's databases: against a real PostgreSQL 15 started
// by the test (tests/support/pg_monitor_server.h): up through the real
// binary, down within one interval plus the timeout of the server stopping,
// a slow probe query ended by its statement_timeout while scrapes answer at
// once, and the password read from password_file only, never shown.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "support/exporter_process.h"
#include "support/http_client.h"
#include "support/metrics_text.h"
#include "support/pg_monitor_server.h"
#include "support/subprocess.h"

namespace vms::test {
namespace {

using namespace std::chrono_literals;
using ::testing::Ge;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

std::string Errors(const std::string& query_type, const std::string& reason) {
  return "database_query_errors_total{database=\"main\",query_type=\"" + query_type +
         "\",reason=\"" + reason + "\"}";
}
constexpr char kUp[] = "database_up{database=\"main\"}";
constexpr const char* kReasons[] = {"connect", "auth", "timeout", "query", "connection_lost"};

class DatabasesTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(pg_.server().ready()) << pg_.server().Log(); }

  // The exporter with one `databases:` entry for the vms database; `extra`
  // is appended to the entry.
  void StartExporter(const std::string& extra) {
    const std::string config = dir_ + "/api.yml";
    std::ofstream(config) << "databases:\n  - name: main\n    conninfo: " << pg_.Conninfo("vms")
                          << "\n    password_file: " << pg_.password_file() << "\n"
                          << extra;
    exporter_ = std::make_unique<ExporterProcess>(
        "api_server_exporter", std::vector<std::string>{"--config.file=" + config});
    ASSERT_TRUE(exporter_->ready()) << exporter_->Log();
  }
  unsigned short port() const { return exporter_->port(); }

  // Neither the metrics, the landing page nor the log show the password.
  void ExpectNoPassword() {
    for (const std::string& text :
         {HttpGet(port(), "/metrics").body, HttpGet(port(), "/").body, exporter_->Log()}) {
      EXPECT_THAT(text, Not(HasSubstr(kPgMonitorPassword)));
    }
  }

  PgMonitorServer pg_{{"vms"}};
  std::string dir_ = MakeTempDir();
  std::unique_ptr<ExporterProcess> exporter_;
};

TEST_F(DatabasesTest, UpThenDownWithinOneIntervalPlusTheTimeoutOfTheServerStopping) {
  StartExporter("    interval: 500ms\n    timeout: 500ms\n    reconnect_backoff_max: 500ms\n");
  ASSERT_THAT(WaitForSample(port(), kUp, SampleEquals(1), 20s), Optional(1.0)) << exporter_->Log();
  std::string body = HttpGet(port(), "/metrics").body;
  for (const char* reason : kReasons) {
    EXPECT_THAT(FindSample(body, Errors("stats", reason)), Optional(0.0)) << reason;
  }
  // No client but the exporter, whose own session is not counted.
  EXPECT_THAT(FindSample(body, "database_connections{database=\"main\",state=\"active\"}"),
              Optional(0.0));

  const auto stopped = std::chrono::steady_clock::now();
  pg_.server().Stop();
  ASSERT_THAT(WaitForSample(port(), kUp, SampleEquals(0), 10s), Optional(0.0));
  const auto down_after = std::chrono::steady_clock::now() - stopped;
  std::cout << "database_up went 0 "
            << std::chrono::duration_cast<std::chrono::milliseconds>(down_after).count()
            << " ms after the server stopped (interval 500ms + timeout 500ms; scrapes every "
               "100ms)\n";
  // One interval plus the timeout, and the 100 ms between the test's scrapes.
  EXPECT_LE(down_after, 1100ms);
  ASSERT_THAT(WaitForSample(port(), Errors("stats", "connect"), SampleAtLeast(2), 10s),
              Optional(Ge(2.0)));
  body = HttpGet(port(), "/metrics").body;
  EXPECT_THAT(FindSample(body, kUp), Optional(0.0));
  // Nothing measured is shown for a database that is down.
  EXPECT_FALSE(FindSample(body, "database_connections{database=\"main\",state=\"active\"}"));

  ASSERT_TRUE(pg_.server().Start()) << pg_.server().Log();
  EXPECT_THAT(WaitForSample(port(), kUp, SampleEquals(1), 20s), Optional(1.0));
  ExpectNoPassword();
}

TEST_F(DatabasesTest, SlowProbeQueryHitsItsStatementTimeoutWithoutDelayingScrapes) {
  StartExporter(
      "    interval: 1s\n    timeout: 1s\n    queries:\n"
      "      - query_type: slow\n        sql: SELECT pg_sleep(30)\n"
      "        interval: 3s\n        timeout: 2s\n"
      "      - query_type: ping\n        sql: SELECT 1\n"
      "        interval: 500ms\n        timeout: 500ms\n");
  ASSERT_THAT(WaitForSample(port(), kUp, SampleEquals(1), 20s), Optional(1.0)) << exporter_->Log();

  // The slow query is in flight once the server runs it.
  const auto give_up = std::chrono::steady_clock::now() + 20s;
  while (pg_.Sql("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = "
                 "'SELECT pg_sleep(30)'") != "1\n" &&
         std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(10ms);
  }
  // Scrapes meanwhile answer at once (each within a client timeout of 1 s,
  // half the statement's 2 s), and the statement has still not ended.
  for (int i = 0; i < 3; ++i) {
    const HttpReply r = HttpRequestOnce(port(), "GET", "/metrics", {}, 1s);
    ASSERT_EQ(r.status, 200) << r.error;
    EXPECT_THAT(FindSample(r.body, kUp), Optional(1.0));
    EXPECT_THAT(FindSample(r.body, Errors("slow", "timeout")), Optional(0.0));
  }
  EXPECT_EQ(pg_.Sql("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = "
                    "'SELECT pg_sleep(30)'"),
            "1\n");

  // statement_timeout ends it on the server: a timeout, the session stays.
  ASSERT_THAT(WaitForSample(port(), Errors("slow", "timeout"), SampleAtLeast(1), 10s),
              Optional(Ge(1.0)));
  const std::string body = HttpGet(port(), "/metrics").body;
  EXPECT_THAT(FindSample(body, kUp), Optional(1.0));
  for (const char* reason : kReasons) {
    if (std::string(reason) != "timeout") {
      EXPECT_THAT(FindSample(body, Errors("slow", reason)), Optional(0.0)) << reason;
    }
    EXPECT_THAT(FindSample(body, Errors("ping", reason)), Optional(0.0)) << reason;
  }
  // Failed runs are not timed; the ping ones are.
  EXPECT_THAT(FindSample(body,
                         "database_query_duration_seconds_count{database=\"main\","
                         "query_type=\"slow\"}"),
              Optional(0.0));
  EXPECT_THAT(
      WaitForSample(port(),
                    "database_query_duration_seconds_count{database=\"main\",query_type=\"ping\"}",
                    SampleAtLeast(2), 10s),
      Optional(Ge(2.0)));

  const std::string raw = dir_ + "/metrics.txt";
  std::ofstream(raw) << HttpGet(port(), "/metrics").body;
  const CommandResult lint = RunCommand("promtool check metrics < " + raw);
  EXPECT_EQ(lint.exit_code, 0) << lint.output;
  EXPECT_EQ(lint.output, "");
  ExpectNoPassword();
}

// The password goes in password_file only: inline it is refused (the
// exporter does not start), without echoing it.
TEST_F(DatabasesTest, InlinePasswordIsRefusedWithoutEchoingIt) {
  const std::string config = dir_ + "/api.yml";
  std::ofstream(config) << "databases:\n  - name: main\n    conninfo: " << pg_.Conninfo("vms")
                        << " password=" << kPgMonitorPassword << "\n";
  const CommandResult r = RunCommand(BinaryPath("api_server_exporter") +
                                     " --config.check --config.file=" + config + " 2>&1");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.output, HasSubstr("password"));
  EXPECT_THAT(r.output, Not(HasSubstr(kPgMonitorPassword)));
}

}  // namespace
}  // namespace vms::test
