// PgConnection against a real PostgreSQL 15: startup over TCP with a
// password (TLS, as libpq's default sslmode=prefer picks it, and plain), over
// the Unix socket without one, and statements of every kind a probe query
// could be, driven by an io_context on the test's thread.

#include "vms/pg/pg_connection.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pg_fixture.h"

namespace vms::pg::test {
namespace {

using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

class PgConnectionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pg_ = new PgServerFixture({"vms"}, {}, /*tls=*/true); }
  static void TearDownTestSuite() {
    delete pg_;
    pg_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(pg_->server().ready()) << pg_->server().Log(); }

  // Connects with `conninfo` (and kPassword unless `password` says otherwise).
  std::optional<PgError> Connect(const std::string& conninfo,
                                 const std::string& password = kPassword) {
    auto params = ParseConninfo(conninfo);
    EXPECT_TRUE(params.ok()) << params.error();
    std::optional<PgError> result;
    bool done = false;
    conn_->Connect({.params = *params, .password = password, .deadline = Clock::now() + 5s},
                   [&](std::optional<PgError> e) {
                     result = std::move(e);
                     done = true;
                   });
    Run([&] { return done; });
    return result;
  }
  PgQueryResult Query(PgQuery q) {
    if (q.deadline == Clock::time_point{}) q.deadline = Clock::now() + 5s;
    PgQueryResult result;
    bool done = false;
    conn_->Query(std::move(q), [&](PgQueryResult r) {
      result = std::move(r);
      done = true;
    });
    Run([&] { return done; });
    return result;
  }
  void Run(const std::function<bool()>& until) {
    io_.restart();
    while (!until() && io_.run_one_for(10s) > 0) {
    }
    EXPECT_TRUE(until()) << "the operation never completed";
  }
  std::string Tcp() const { return pg_->Conninfo("vms"); }

  static PgServerFixture* pg_;
  boost::asio::io_context io_;
  std::shared_ptr<PgConnection> conn_ = PgConnection::Create(io_);
};

PgServerFixture* PgConnectionTest::pg_ = nullptr;

TEST_F(PgConnectionTest, RowsInTextWithNulls) {
  ASSERT_EQ(Connect(Tcp()), std::nullopt);
  EXPECT_TRUE(conn_->ready());
  EXPECT_GT(conn_->backend_pid(), 0);
  auto r = Query({.sql = "SELECT 1, NULL::text, 'x y' UNION ALL SELECT 2, 'b', ''"});
  ASSERT_FALSE(r.error) << r.error->message;
  ASSERT_EQ(r.rows.rows.size(), 2u);
  EXPECT_EQ(r.rows.rows[0], (std::vector<std::optional<std::string>>{"1", std::nullopt, "x y"}));
  EXPECT_EQ(r.rows.rows[1], (std::vector<std::optional<std::string>>{"2", "b", ""}));
  EXPECT_GT(r.duration.count(), 0);
  EXPECT_TRUE(conn_->ready());
}

TEST_F(PgConnectionTest, TlsByDefaultAndPlainWhenAsked) {
  ASSERT_EQ(Connect(Tcp()), std::nullopt);
  auto tls = Query({.sql = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"});
  ASSERT_FALSE(tls.error) << tls.error->message;
  EXPECT_EQ(tls.rows.rows[0][0], "t");
  ASSERT_EQ(Connect(Tcp() + " sslmode=disable"), std::nullopt);
  auto plain = Query({.sql = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"});
  EXPECT_EQ(plain.rows.rows[0][0], "f");
  // Megabytes of rows through the plain socket too.
  auto many = Query({.sql = "SELECT g, repeat('x', 1000) FROM generate_series(1, 5000) g"});
  ASSERT_FALSE(many.error) << many.error->message;
  EXPECT_EQ(many.rows.rows.size(), 1000u);
  EXPECT_EQ(many.rows.rows_dropped, 4000u);
}

TEST_F(PgConnectionTest, RowsBeyondTheLimitAreReadAndDropped) {
  ASSERT_EQ(Connect(Tcp()), std::nullopt);
  auto r =
      Query({.sql = "SELECT g, repeat('x', 1000) FROM generate_series(1, 5000) g", .max_rows = 10});
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.rows.rows.size(), 10u);
  EXPECT_EQ(r.rows.rows_dropped, 4990u);
  EXPECT_EQ(r.rows.rows[9][0], "10");
  EXPECT_TRUE(conn_->ready());
}

TEST_F(PgConnectionTest, SeveralStatementsAndParameters) {
  ASSERT_EQ(Connect(Tcp()), std::nullopt);
  auto multi = Query({.sql = "SELECT 1; SELECT 2"});
  ASSERT_FALSE(multi.error) << multi.error->message;
  ASSERT_EQ(multi.rows.rows.size(), 2u);
  EXPECT_EQ(multi.rows.rows[1][0], "2");
  // Parameters are never spliced into the text.
  auto params = Query(
      {.sql = "SELECT $1::int + $2::int, $3::text", .params = {"2", "3", "'; DROP TABLE x; --"}});
  ASSERT_FALSE(params.error) << params.error->message;
  EXPECT_EQ(params.rows.rows[0][0], "5");
  EXPECT_EQ(params.rows.rows[0][1], "'; DROP TABLE x; --");
}

TEST_F(PgConnectionTest, AFailedStatementKeepsTheSession) {
  ASSERT_EQ(Connect(Tcp()), std::nullopt);
  auto r = Query({.sql = "SELECT 1/0"});
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->reason, PgErrorReason::kQuery);
  EXPECT_EQ(r.error->sqlstate, "22012");
  EXPECT_EQ(r.error->message, "division by zero");
  EXPECT_TRUE(conn_->ready());
  auto denied = Query({.sql = "SELECT * FROM pg_authid"});
  ASSERT_TRUE(denied.error);
  EXPECT_EQ(denied.error->sqlstate, "42501");
  EXPECT_EQ(Query({.sql = "SELECT 1"}).error, std::nullopt);
}

TEST_F(PgConnectionTest, StatementTimeoutIsSetOnceAndEndsTheStatementOnTheServer) {
  ASSERT_EQ(Connect(Tcp()), std::nullopt);
  auto slow = Query(
      {.sql = "SELECT pg_sleep(5)", .statement_timeout = 100ms, .deadline = Clock::now() + 3s});
  ASSERT_TRUE(slow.error);
  EXPECT_EQ(slow.error->reason, PgErrorReason::kTimeout);
  EXPECT_EQ(slow.error->sqlstate, "57014");
  EXPECT_TRUE(conn_->ready());  // cancelled by the server: the session is fine
  auto show = Query({.sql = "SHOW statement_timeout", .statement_timeout = 100ms});
  ASSERT_FALSE(show.error) << show.error->message;
  EXPECT_EQ(show.rows.rows[0][0], "100ms");
  auto other = Query({.sql = "SHOW statement_timeout", .statement_timeout = 2500ms});
  EXPECT_EQ(other.rows.rows[0][0], "2500ms");
}

// The exporter's own statements are planned once per session: prepared at
// the first run, executed by name after; a new session prepares again.
TEST_F(PgConnectionTest, PreparedOncePerSessionAndExecutedByName) {
  ASSERT_EQ(Connect(Tcp()), std::nullopt);
  const std::string sql = "SELECT $1::int + 1";
  const PgQuery stats{.sql = sql, .params = {"41"}, .prepare = true};
  const auto prepared = [&] {
    auto r = Query({.sql = "SELECT name || '=' || statement FROM pg_prepared_statements"});
    EXPECT_FALSE(r.error) << r.error->message;
    std::vector<std::string> out;
    for (const auto& row : r.rows.rows) out.push_back(row[0].value_or("NULL"));
    return out;
  };
  EXPECT_TRUE(prepared().empty());
  for (int i = 0; i < 3; ++i) {
    auto r = Query(stats);
    ASSERT_FALSE(r.error) << r.error->message;
    ASSERT_EQ(r.rows.rows.size(), 1u);
    EXPECT_EQ(r.rows.rows[0][0], "42");
  }
  EXPECT_EQ(prepared(), (std::vector<std::string>{"vms_0=" + sql}));
  // Another statement gets the next name; the first is kept.
  auto other = Query({.sql = "SELECT 'x'", .prepare = true});
  ASSERT_FALSE(other.error) << other.error->message;
  EXPECT_EQ(prepared(), (std::vector<std::string>{"vms_0=" + sql, "vms_1=SELECT 'x'"}));
  // A statement that does not prepare fails like any query; the session stays.
  auto bad = Query({.sql = "SELECT FROM nowhere_at_all", .prepare = true});
  ASSERT_TRUE(bad.error);
  EXPECT_EQ(bad.error->sqlstate, "42P01");
  EXPECT_TRUE(conn_->ready());
  ASSERT_EQ(Connect(Tcp()), std::nullopt);
  EXPECT_TRUE(prepared().empty());
  ASSERT_FALSE(Query(stats).error);
  EXPECT_EQ(prepared(), (std::vector<std::string>{"vms_0=" + sql}));
}

// A server that forgot the statement (DISCARD ALL, as poolers send, or
// another backend behind a pooler) fails that run once; the session then
// runs its statements unprepared.
TEST_F(PgConnectionTest, AForgottenPreparedStatementFailsOnceThenRunsUnprepared) {
  ASSERT_EQ(Connect(Tcp()), std::nullopt);
  const PgQuery stats{.sql = "SELECT 7", .prepare = true};
  ASSERT_FALSE(Query(stats).error);
  ASSERT_FALSE(Query({.sql = "DEALLOCATE ALL"}).error);
  auto lost = Query(stats);
  ASSERT_TRUE(lost.error);
  EXPECT_EQ(lost.error->sqlstate, "26000");
  EXPECT_TRUE(conn_->ready());
  for (int i = 0; i < 2; ++i) {
    auto r = Query(stats);
    ASSERT_FALSE(r.error) << r.error->message;
    EXPECT_EQ(r.rows.rows[0][0], "7");
  }
  auto count = Query({.sql = "SELECT count(*) FROM pg_prepared_statements"});
  ASSERT_FALSE(count.error);
  EXPECT_EQ(count.rows.rows[0][0], "0");
}

TEST_F(PgConnectionTest, CopyAndOpenTransactionsEndTheSession) {
  ASSERT_EQ(Connect(Tcp()), std::nullopt);
  auto copy = Query({.sql = "COPY (SELECT 1) TO STDOUT"});
  ASSERT_TRUE(copy.error);
  EXPECT_EQ(copy.error->reason, PgErrorReason::kQuery);
  EXPECT_FALSE(conn_->ready());
  ASSERT_EQ(Connect(Tcp()), std::nullopt);
  EXPECT_EQ(Query({.sql = "BEGIN"}).error, std::nullopt);
  EXPECT_FALSE(conn_->ready());  // a transaction left open: closed, not kept
}

TEST_F(PgConnectionTest, ServerEndingTheSessionIsConnectionLost) {
  ASSERT_EQ(Connect(Tcp()), std::nullopt);
  const int pid = conn_->backend_pid();
  pg_->Sql("SELECT pg_terminate_backend(" + std::to_string(pid) + ")");
  auto r = Query({.sql = "SELECT 1"});
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->reason, PgErrorReason::kConnectionLost) << r.error->message;
  EXPECT_FALSE(conn_->ready());
}

TEST_F(PgConnectionTest, WrongPasswordIsAuthAndTheMessageHasNoPassword) {
  auto e = Connect(Tcp(), "Not-The-Password-3");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, PgErrorReason::kAuth);
  EXPECT_EQ(e->sqlstate, "28P01");
  EXPECT_THAT(e->message, HasSubstr("password authentication failed for user \"monitor\""));
  EXPECT_THAT(e->message, ::testing::Not(HasSubstr("Not-The-Password")));
  EXPECT_FALSE(conn_->ready());
  auto none = Connect(Tcp(), "");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->reason, PgErrorReason::kAuth);  // fe_sendauth: no password supplied
}

TEST_F(PgConnectionTest, RefusedAndMissingDatabaseAreConnect) {
  auto refused = Connect("host=127.0.0.1 port=1 user=monitor");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->reason, PgErrorReason::kConnect);
  EXPECT_THAT(refused->message, HasSubstr("Connection refused"));
  auto missing = Connect(pg_->Conninfo("nosuchdb"));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->reason, PgErrorReason::kConnect);
  EXPECT_EQ(missing->sqlstate, "3D000");
}

TEST_F(PgConnectionTest, HostNamesAreResolvedAndEveryAddressTried) {
  // localhost may resolve to ::1 first; the server listens on 127.0.0.1 only.
  ASSERT_EQ(Connect("host=localhost port=" + std::to_string(pg_->server().port()) +
                    " dbname=vms user=monitor"),
            std::nullopt);
  EXPECT_EQ(Query({.sql = "SELECT inet_server_addr()"}).rows.rows[0][0], "127.0.0.1");
}

TEST_F(PgConnectionTest, UnixSocketWithoutAPassword) {
  ASSERT_EQ(Connect("host=" + pg_->server().dir() + " port=" +
                        std::to_string(pg_->server().port()) + " dbname=vms user=monitor",
                    ""),
            std::nullopt);
  EXPECT_EQ(Query({.sql = "SELECT inet_server_addr() IS NULL"}).rows.rows[0][0], "t");
}

TEST_F(PgConnectionTest, CloseDropsAPendingHandler) {
  ASSERT_EQ(Connect(Tcp()), std::nullopt);
  bool called = false;
  conn_->Query({.sql = "SELECT pg_sleep(5)", .deadline = Clock::now() + 10s},
               [&](PgQueryResult) { called = true; });
  io_.restart();
  io_.run_for(100ms);
  conn_->Close();
  io_.restart();
  io_.run_for(100ms);
  EXPECT_FALSE(called);
  EXPECT_FALSE(conn_->ready());
}

}  // namespace
}  // namespace vms::pg::test
