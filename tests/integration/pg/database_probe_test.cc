// DatabaseProbe against a real PostgreSQL 15, run by a real ProbeScheduler on
// an io_context of its own thread; the test's own psql and libpq sessions
// are what the probe must see.

#include "vms/pg/database_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "pg_fixture.h"
#include "vms/base/text.h"
#include "vms/pg/database_collector.h"

namespace vms::pg::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Every log line of the test, for what must and must not be in it.
class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink));
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  std::string text() {
    spdlog::default_logger()->flush();
    return out_.str();
  }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

std::size_t Count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

class DatabaseProbeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pg_ = new PgServerFixture({"vms", "states", "blocks", "plain"},
                              {"shared_preload_libraries=pg_stat_statements"});
    if (!pg_->server().ready()) return;
    pg_->Sql("CREATE EXTENSION pg_stat_statements", "vms");
    pg_->Sql("CREATE TABLE cameras (id int, name text)", "vms");
    pg_->Sql("INSERT INTO cameras SELECT g, 'cam' || g FROM generate_series(1, 64) g", "vms");
    pg_->Sql("GRANT SELECT ON cameras TO monitor", "vms");
  }
  static void TearDownTestSuite() {
    delete pg_;
    pg_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(pg_->server().ready()) << "PostgreSQL did not start:\n" << pg_->server().Log();
  }

  // One `databases:` entry for `db`, with `extra` lines (indented 4).
  static std::string Entry(const std::string& name, const std::string& db,
                           const std::string& extra = "", const std::string& password_file = "") {
    return "  - name: " + name + "\n    conninfo: " + pg_->Conninfo(db) + "\n    password_file: " +
           (password_file.empty() ? pg_->password_file() : password_file) + "\n" + extra;
  }
  static DatabaseConfig Config(const std::string& name, const std::string& db,
                               const std::string& extra = "",
                               const std::string& password_file = "") {
    return ParseConfig("databases:\n" + Entry(name, db, extra, password_file)).at(0);
  }

  static PgServerFixture* pg_;
};

PgServerFixture* DatabaseProbeTest::pg_ = nullptr;

TEST_F(DatabaseProbeTest, UpWithExactCountsOfTheTestsOwnSessions) {
  IoThread io;
  auto probe = io.Add(Config("states", "states", "    interval: 300ms\n    timeout: 300ms\n"));

  auto idle1 = pg_->Open("states");
  auto idle2 = pg_->Open("states");
  auto idle3 = pg_->Open("states");
  auto in_tx = pg_->Open("states");
  in_tx->Exec("BEGIN");
  in_tx->Exec("SELECT 1");
  auto aborted = pg_->Open("states");
  aborted->Exec("BEGIN");
  aborted->Exec("SELECT 1/0");

  auto expected = [](const DatabaseSnapshot& s) {
    return s.up && Connections(s, ConnectionState::kIdle) == 3 &&
           Connections(s, ConnectionState::kIdleInTransaction) == 1 &&
           Connections(s, ConnectionState::kIdleInTransactionAborted) == 1;
  };
  auto s = WaitFor(*probe, expected);
  ASSERT_TRUE(s->up) << s->last_error;
  ASSERT_TRUE(s->stats);
  EXPECT_EQ(Connections(*s, ConnectionState::kIdle), 3);
  EXPECT_EQ(Connections(*s, ConnectionState::kIdleInTransaction), 1);
  EXPECT_EQ(Connections(*s, ConnectionState::kIdleInTransactionAborted), 1);
  // The probe's own session, running the statistics query, is not counted.
  EXPECT_EQ(Connections(*s, ConnectionState::kActive), 0);
  EXPECT_EQ(Connections(*s, ConnectionState::kOther), 0);
  EXPECT_FALSE(s->stats->replication_lag_seconds);  // a primary without standbys

  // Closing sessions shows too.
  idle1.reset();
  aborted.reset();
  s = WaitFor(*probe, [](const DatabaseSnapshot& s) {
    return Connections(s, ConnectionState::kIdle) == 2 &&
           Connections(s, ConnectionState::kIdleInTransactionAborted) == 0;
  });
  EXPECT_EQ(Connections(*s, ConnectionState::kIdle), 2);
  EXPECT_EQ(Connections(*s, ConnectionState::kIdleInTransactionAborted), 0);
  for (PgErrorReason r : kAllPgErrorReasons) EXPECT_EQ(Errors(*s, "stats", r), 0u);
}

TEST_F(DatabaseProbeTest, SlowQueryTimesOutWithoutDelayingOthersOrAScrape) {
  IoThread io;
  auto probe = io.Add(Config("main", "vms",
                             "    interval: 1s\n    timeout: 1s\n    queries:\n"
                             "      - query_type: slow\n        sql: SELECT pg_sleep(30)\n"
                             "        interval: 5s\n        timeout: 3s\n"
                             "      - query_type: cameras\n"
                             "        sql: SELECT count(*) FROM cameras\n"
                             "        interval: 500ms\n        timeout: 500ms\n"));
  auto other = io.Add(Config("other", "plain", "    interval: 100ms\n    timeout: 100ms\n"));
  DatabaseCollector collector({probe, other});

  // The slow query is in flight once the server runs it.
  const auto give_up = std::chrono::steady_clock::now() + 20s;
  while (pg_->Sql("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = "
                  "'SELECT pg_sleep(30)'") != "1\n" &&
         std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(10ms);
  }
  const auto before = probe->Latest();
  ASSERT_EQ(Errors(*before, "slow", PgErrorReason::kTimeout), 0u);
  const auto other_before = other->Latest();

  // A scrape on the event loop's own thread while the statement runs: it
  // completes, and the slow query still has not ended when it has.
  std::string scrape;
  bool slow_still_running_after_scrape = false;
  io.Run([&] {
    ASSERT_TRUE(collector.CollectText(ScrapeContext{}, scrape).ok());
    slow_still_running_after_scrape =
        Errors(*probe->Latest(), "slow", PgErrorReason::kTimeout) == 0;
  });
  EXPECT_TRUE(slow_still_running_after_scrape);
  EXPECT_THAT(scrape, HasSubstr("database_up{database=\"main\"} 1"));

  // Another database's probe keeps its own pace meanwhile.
  auto other_now =
      WaitFor(*other, [&](const DatabaseSnapshot& s) { return s.updated > other_before->updated; });
  EXPECT_GT(other_now->updated, other_before->updated);
  EXPECT_EQ(Errors(*probe->Latest(), "slow", PgErrorReason::kTimeout), 0u)
      << "the slow query ended before the other database was probed";

  // statement_timeout ends it on the server: a timeout, and the session stays.
  auto s = WaitFor(*probe, [](const DatabaseSnapshot& s) {
    return Errors(s, "slow", PgErrorReason::kTimeout) >= 1;
  });
  EXPECT_EQ(Errors(*s, "slow", PgErrorReason::kTimeout), 1u) << s->last_error;
  EXPECT_EQ(s->Query("slow")->count, 0u);  // failures are not timed
  EXPECT_THAT(s->last_error, HasSubstr("canceling statement due to statement timeout"));
  EXPECT_TRUE(s->up);
  for (PgErrorReason r : kAllPgErrorReasons) {
    if (r != PgErrorReason::kTimeout) {
      EXPECT_EQ(Errors(*s, "slow", r), 0u);
    }
    EXPECT_EQ(Errors(*s, "cameras", r), 0u);
    EXPECT_EQ(Errors(*s, "stats", r), 0u);
  }
  // The fast query waited behind the slow one on the shared session (they
  // were queued together at the start), then runs on its own interval, and
  // the wait was never counted as a timeout.
  s = WaitFor(*probe, [](const DatabaseSnapshot& s) { return s.Query("cameras")->count >= 2; });
  EXPECT_GE(s->Query("cameras")->count, 2u);
  for (PgErrorReason r : kAllPgErrorReasons) EXPECT_EQ(Errors(*s, "cameras", r), 0u);
}

TEST_F(DatabaseProbeTest, ClientDeadlineDropsASessionWhoseServerCannotAnswer) {
  IoThread io;
  auto probe = io.Add(Config("main", "vms",
                             "    interval: 5s\n    timeout: 2s\n    queries:\n"
                             "      - query_type: ping\n        sql: SELECT 1\n"
                             "        interval: 1s\n        timeout: 1s\n"));
  auto s = WaitFor(*probe, [](const DatabaseSnapshot& s) { return s.Query("ping")->count > 0; });
  ASSERT_TRUE(s->up) << s->last_error;
  // A stopped backend cannot run its own statement_timeout: only the client
  // deadline ends the wait.
  const std::string pid_text = pg_->Sql(
      "SELECT pid FROM pg_stat_activity WHERE application_name = 'vms-exporters' AND "
      "datname = 'vms'");
  int pid = 0;
  ASSERT_TRUE(ParseNumber(Trim(pid_text), pid)) << pid_text;
  ASSERT_EQ(::kill(pid, SIGSTOP), 0);
  s = WaitFor(*probe, [](const DatabaseSnapshot& s) {
    return Errors(s, "ping", PgErrorReason::kTimeout) >= 1;
  });
  ::kill(pid, SIGCONT);
  EXPECT_GE(Errors(*s, "ping", PgErrorReason::kTimeout), 1u);
  EXPECT_THAT(s->last_error, HasSubstr("client deadline"));
  // The next run opened a new session.
  s = WaitFor(*probe,
              [&](const DatabaseSnapshot& s) { return s.up && s.Query("ping")->count > 1; });
  EXPECT_TRUE(s->up);
  const std::string new_pid = pg_->Sql(
      "SELECT pid FROM pg_stat_activity WHERE application_name = 'vms-exporters' AND "
      "datname = 'vms'");
  EXPECT_NE(Trim(new_pid), Trim(pid_text));
}

TEST_F(DatabaseProbeTest, ServerStoppedIsDownAndRestartedIsUpAgain) {
  LogCapture log;
  IoThread io;
  auto probe = io.Add(Config("main", "vms",
                             "    interval: 500ms\n    timeout: 500ms\n"
                             "    reconnect_backoff_max: 500ms\n"));
  auto s = WaitFor(*probe, [](const DatabaseSnapshot& s) { return s.up && s.stats; });
  ASSERT_TRUE(s->up) << s->last_error;

  const auto stopped = std::chrono::steady_clock::now();
  pg_->server().Stop();
  s = WaitFor(*probe, [](const DatabaseSnapshot& s) { return !s.up; });
  const auto down_after = std::chrono::steady_clock::now() - stopped;
  EXPECT_FALSE(s->up);
  EXPECT_FALSE(s->stats);  // nothing measured is shown for a database that is down
  std::cout << "database_up went 0 "
            << std::chrono::duration_cast<std::chrono::milliseconds>(down_after).count()
            << " ms after the server stopped (interval 500ms + timeout 500ms)\n";

  // Stays down across runs, reconnecting with back-off, each failure counted.
  s = WaitFor(*probe, [](const DatabaseSnapshot& s) {
    return Errors(s, "stats", PgErrorReason::kConnect) >= 2;
  });
  EXPECT_GE(Errors(*s, "stats", PgErrorReason::kConnect), 2u) << s->last_error;

  ASSERT_TRUE(pg_->server().Start()) << pg_->server().Log();
  s = WaitFor(*probe, [](const DatabaseSnapshot& s) { return s.up && s.stats; });
  EXPECT_TRUE(s->up) << s->last_error;
  // Logged as state changes, not once per failed run.
  const std::string logged = log.text();
  EXPECT_EQ(
      Count(logged, "database main (host=127.0.0.1 port=" + std::to_string(pg_->server().port()) +
                        " dbname=vms user=monitor) is up"),
      2u)
      << logged;
  EXPECT_EQ(Count(logged, "is down"), 1u) << logged;
}

TEST_F(DatabaseProbeTest, WrongPasswordIsAnAuthErrorAndNeverLogged) {
  constexpr char kWrong[] = "Wrong-Password-9";
  const std::string wrong_file = pg_->server().dir() + "/wrong.password";
  std::ofstream(wrong_file) << kWrong << "\n";
  LogCapture log;
  IoThread io;
  auto probe = io.Add(Config("main", "vms",
                             "    interval: 2s\n    timeout: 2s\n"
                             "    reconnect_backoff_max: 500ms\n    queries:\n"
                             "      - query_type: ping\n        sql: SELECT 1\n"
                             "        interval: 200ms\n        timeout: 200ms\n",
                             wrong_file));
  auto s = WaitFor(*probe, [](const DatabaseSnapshot& s) {
    return Errors(s, "stats", PgErrorReason::kAuth) >= 1 &&
           Errors(s, "ping", PgErrorReason::kAuth) >= 3;
  });
  EXPECT_FALSE(s->up);
  EXPECT_GE(Errors(*s, "stats", PgErrorReason::kAuth), 1u);
  EXPECT_GE(Errors(*s, "ping", PgErrorReason::kAuth), 3u);
  EXPECT_EQ(Errors(*s, "ping", PgErrorReason::kConnect), 0u);
  EXPECT_EQ(Errors(*s, "stats", PgErrorReason::kConnect), 0u);
  EXPECT_THAT(s->last_error, HasSubstr("28P01: password authentication failed"));

  DatabaseCollector collector({probe});
  std::string scrape;
  ASSERT_TRUE(collector.CollectText(ScrapeContext{}, scrape).ok());
  EXPECT_THAT(scrape, HasSubstr("database_up{database=\"main\"} 0"));
  EXPECT_THAT(scrape, HasSubstr("database_query_errors_total{database=\"main\",query_type=\"ping\","
                                "reason=\"auth\"}"));
  std::vector<StatusTable> tables;
  collector.AppendStatus(tables);
  ASSERT_EQ(tables.size(), 1u);

  const std::string logged = log.text();
  EXPECT_THAT(logged, HasSubstr("database main (host=127.0.0.1"));
  EXPECT_THAT(logged, HasSubstr("is down: auth: "));
  EXPECT_EQ(Count(logged, "is down"), 1u) << logged;  // one line, not one per run
  for (const std::string& text : {logged, scrape, s->last_error, tables[0].rows[0][3]}) {
    EXPECT_THAT(text, Not(HasSubstr(kWrong)));
    EXPECT_THAT(text, Not(HasSubstr(kPassword)));
  }
  // Back-off: far fewer logins than runs reach the server.
  const std::string server_log = pg_->server().Log();
  const std::size_t refused = Count(server_log, "password authentication failed");
  const std::uint64_t runs = Errors(*probe->Latest(), "stats", PgErrorReason::kAuth) +
                             Errors(*probe->Latest(), "ping", PgErrorReason::kAuth);
  std::cout << refused << " logins refused by the server for " << runs << " failed runs\n";
  EXPECT_LT(refused, runs);
}

TEST_F(DatabaseProbeTest, BlockCountersMoveWithTheTestsQueries) {
  IoThread io;
  auto probe = io.Add(Config("blocks", "blocks", "    interval: 500ms\n    timeout: 500ms\n"));
  auto s = WaitFor(*probe, [](const DatabaseSnapshot& s) { return s.stats.has_value(); });
  ASSERT_TRUE(s->stats) << s->last_error;
  const double hit = s->stats->blocks_hit.value_or(-1);
  const double read = s->stats->blocks_read.value_or(-1);
  ASSERT_GE(hit, 0);
  ASSERT_GE(read, 0);
  // New pages are block reads; reading them again from shared buffers hits.
  pg_->Sql("CREATE TABLE t AS SELECT g FROM generate_series(1, 100000) g", "blocks");
  pg_->Sql("SELECT sum(g) FROM t", "blocks");
  s = WaitFor(*probe, [&](const DatabaseSnapshot& s) {
    return s.stats && *s.stats->blocks_hit > hit + 400 && *s.stats->blocks_read > read + 400;
  });
  ASSERT_TRUE(s->stats) << s->last_error;
  std::cout << "blks_hit " << hit << " -> " << *s->stats->blocks_hit << ", blks_read " << read
            << " -> " << *s->stats->blocks_read << "\n";
  EXPECT_GT(*s->stats->blocks_hit, hit + 400);  // t has 443 pages
  EXPECT_GT(*s->stats->blocks_read, read + 400);
}

TEST_F(DatabaseProbeTest, StatementTotalsByConfiguredTypeAndMissingExtensionSaidOnce) {
  LogCapture log;
  IoThread io;
  auto probe = io.Add(Config("main", "vms",
                             "    interval: 500ms\n    timeout: 500ms\n    statements:\n"
                             "      query_types:\n"
                             "        - name: camera_count\n"
                             "          pattern: '^SELECT count\\(\\*\\) FROM cameras'\n"
                             "        - name: never_run\n          pattern: '^VACUUM'\n"));
  auto plain = io.Add(Config("plain", "plain", "    interval: 500ms\n    statements: {}\n"));
  for (int i = 0; i < 3; ++i)
    pg_->Sql("SELECT count(*) FROM cameras WHERE id > " + std::to_string(i), "vms");
  auto s = WaitFor(*probe, [](const DatabaseSnapshot& s) {
    return s.statements && s.statements->at(0).calls >= 3;
  });
  ASSERT_TRUE(s->statements) << s->last_error;
  ASSERT_EQ(s->statements->size(), 3u);
  EXPECT_EQ((*s->statements)[0].query_type, "camera_count");
  EXPECT_EQ((*s->statements)[0].calls, 3);  // one normalized entry, three calls
  EXPECT_GT((*s->statements)[0].exec_seconds, 0);
  EXPECT_EQ((*s->statements)[1].query_type, "never_run");
  EXPECT_EQ((*s->statements)[1].calls, 0);
  EXPECT_EQ((*s->statements)[2].query_type, "other");
  EXPECT_GT((*s->statements)[2].calls, 0);  // the probe's own statistics query, at least

  // "plain" has no extension: said once however many runs, no series.
  auto p = WaitFor(*plain, [](const DatabaseSnapshot& s) { return s.stats.has_value(); });
  std::this_thread::sleep_for(1500ms);  // several more runs
  p = plain->Latest();
  EXPECT_TRUE(p->up);
  EXPECT_FALSE(p->statements);
  EXPECT_EQ(Errors(*p, "statements", PgErrorReason::kQuery), 0u);
  EXPECT_EQ(Count(log.text(), "pg_stat_statements extension is not installed"), 1u) << log.text();
}

TEST_F(DatabaseProbeTest, ReplicationLagOnThePrimaryAndOnAStreamingStandby) {
  auto standby = vms::test::PostgresServer::StandbyOf(pg_->server());
  ASSERT_TRUE(standby->ready()) << standby->Log();
  IoThread io;
  auto primary = io.Add(Config("primary", "vms", "    interval: 300ms\n    timeout: 300ms\n"));
  auto replica =
      io.Add(ParseConfig("databases:\n  - name: standby\n    conninfo: host=127.0.0.1 "
                         "port=" +
                         std::to_string(standby->port()) +
                         " dbname=vms user=monitor\n    password_file: " + pg_->password_file() +
                         "\n    interval: 300ms\n    timeout: 300ms\n")
                 .at(0));
  // The standby has replayed nothing since it started until the primary
  // commits something.
  pg_->Sql("CREATE TABLE replicated AS SELECT 1 AS x", "vms");
  auto p = WaitFor(*primary, [](const DatabaseSnapshot& s) {
    return s.stats && s.stats->replication_lag_seconds.has_value();
  });
  ASSERT_TRUE(p->stats) << p->last_error;
  ASSERT_TRUE(p->stats->replication_lag_seconds);
  EXPECT_GE(*p->stats->replication_lag_seconds, 0);
  auto r = WaitFor(*replica, [](const DatabaseSnapshot& s) {
    return s.stats && s.stats->replication_lag_seconds.has_value();
  });
  ASSERT_TRUE(r->stats) << r->last_error;
  ASSERT_TRUE(r->stats->replication_lag_seconds);
  EXPECT_GE(*r->stats->replication_lag_seconds, 0);

  DatabaseCollector collector({primary, replica});
  std::string text;
  ASSERT_TRUE(collector.CollectText(ScrapeContext{}, text).ok());
  EXPECT_THAT(text, HasSubstr("database_replication_lag_seconds{database=\"primary\"} "));
  EXPECT_THAT(text, HasSubstr("database_replication_lag_seconds{database=\"standby\"} "));

  // Without its standby the primary has no lag to show.
  standby->Stop();
  p = WaitFor(*primary, [](const DatabaseSnapshot& s) {
    return s.stats && !s.stats->replication_lag_seconds.has_value();
  });
  ASSERT_TRUE(p->stats) << p->last_error;
  EXPECT_FALSE(p->stats->replication_lag_seconds);
}

TEST_F(DatabaseProbeTest, OneSessionPerDatabaseClosedWhenTheProbeIsShutDown) {
  auto sessions = [&] {
    return pg_->Sql(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = "
        "'vms-exporters' AND datname = 'vms'");
  };
  {
    IoThread io;
    auto probe = io.Add(Config("main", "vms",
                               "    interval: 300ms\n    timeout: 300ms\n    queries:\n"
                               "      - query_type: a\n        sql: SELECT 1\n"
                               "      - query_type: b\n        sql: SELECT 2\n"));
    WaitFor(*probe, [](const DatabaseSnapshot& s) {
      return s.Query("a")->count > 1 && s.Query("b")->count > 1;
    });
    EXPECT_EQ(sessions(), "1\n");  // three kinds of runs, one session
  }                                // the scheduler removes the runs, the probe is shut down
  const auto give_up = std::chrono::steady_clock::now() + 10s;
  while (sessions() != "0\n" && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(sessions(), "0\n");
}

TEST_F(DatabaseProbeTest, ExpositionIsPromtoolCleanWithEverySeriesOfEveryDatabase) {
  IoThread io;
  auto up = io.Add(Config("main", "vms",
                          "    interval: 500ms\n    timeout: 500ms\n    queries:\n"
                          "      - query_type: cameras\n        sql: SELECT count(*) FROM cameras\n"
                          "    statements:\n      query_types:\n"
                          "        - name: camera_count\n"
                          "          pattern: '^SELECT count\\(\\*\\) FROM cameras'\n"));
  auto down = io.Add(ParseConfig("databases:\n  - name: gone\n    conninfo: host=127.0.0.1 "
                                 "port=1 dbname=x user=monitor\n    interval: 200ms\n"
                                 "    queries:\n      - query_type: ping\n        sql: SELECT 1\n")
                         .at(0));
  WaitFor(*up,
          [](const DatabaseSnapshot& s) { return s.statements && s.Query("cameras")->count > 0; });
  WaitFor(*down, [](const DatabaseSnapshot& s) {
    return Errors(s, "stats", PgErrorReason::kConnect) > 0;
  });
  DatabaseCollector collector({up, down});
  std::string text;
  ASSERT_TRUE(collector.CollectText(ScrapeContext{}, text).ok());
  for (const char* series :
       {"database_up{database=\"main\"} 1", "database_up{database=\"gone\"} 0",
        "database_query_duration_seconds_bucket{database=\"main\",query_type=\"cameras\",le=",
        "database_query_duration_seconds_count{database=\"gone\",query_type=\"ping\"} 0",
        "database_query_errors_total{database=\"gone\",query_type=\"stats\",reason=\"connect\"}",
        "database_query_errors_total{database=\"main\",query_type=\"statements\",reason=\"auth\"} "
        "0",
        "database_connections{database=\"main\",state=\"idle\"}",
        "database_blocks_hit_total{database=\"main\"}",
        "database_blocks_read_total{database=\"main\"}",
        "database_statements_calls_total{database=\"main\",query_type=\"camera_count\"}",
        "database_statements_exec_seconds_total{database=\"main\",query_type=\"other\"}"}) {
    EXPECT_THAT(text, HasSubstr(series));
  }
  EXPECT_THAT(text, Not(HasSubstr("database_connections{database=\"gone\"")));
  EXPECT_THAT(text, Not(HasSubstr("database_replication_lag_seconds{")));
  const std::string path = pg_->server().dir() + "/metrics.prom";
  std::ofstream(path) << text;
  auto check = vms::test::RunCommand("promtool check metrics < " + path);
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_EQ(check.output, "") << text;
}

}  // namespace
}  // namespace vms::pg::test
