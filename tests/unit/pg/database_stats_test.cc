#include "vms/pg/database_stats.h"

#include <gtest/gtest.h>

#include "stats_queries.h"
#include "support/subprocess.h"
#include "vms/base/file.h"
#include "vms/base/text.h"

namespace vms::pg {
namespace {

// A fixture of psql -At -F '\t' -P null='\N' output as rows.
PgRows Rows(const std::string& name) {
  auto text = ReadFile(test::SourcePath("tests/fixtures/pg/" + name));
  EXPECT_TRUE(text.ok()) << text.error();
  PgRows rows;
  std::string_view rest = text.ok() ? std::string_view(*text) : std::string_view();
  std::string_view line;
  while (NextLine(rest, line)) {
    auto& row = rows.rows.emplace_back();
    for (std::size_t start = 0;;) {
      const std::size_t tab = line.find('\t', start);
      const std::string_view field =
          line.substr(start, tab == std::string_view::npos ? tab : tab - start);
      if (field == "\\N") {
        row.emplace_back();
      } else {
        row.emplace_back(std::string(field));
      }
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
  }
  return rows;
}

double Connections(const DatabaseStats& s, ConnectionState state) {
  return s.connections[static_cast<std::size_t>(state)];
}

TEST(ParseStatsRowsTest, PrimaryWithSessionsInEveryState) {
  auto stats = ParseStatsRows(Rows("stats_rows_primary.tsv"));
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(Connections(*stats, ConnectionState::kActive), 1);
  EXPECT_EQ(Connections(*stats, ConnectionState::kIdle), 2);
  EXPECT_EQ(Connections(*stats, ConnectionState::kIdleInTransaction), 1);
  EXPECT_EQ(Connections(*stats, ConnectionState::kIdleInTransactionAborted), 1);
  EXPECT_EQ(Connections(*stats, ConnectionState::kOther), 0);
  EXPECT_EQ(stats->blocks_hit, 4530);
  EXPECT_EQ(stats->blocks_read, 6);
  EXPECT_FALSE(stats->replication_lag_seconds);  // a primary without standbys
  EXPECT_TRUE(stats->has_pg_stat_statements);
}

TEST(ParseStatsRowsTest, PrimaryWithAStandbyAndTheStandby) {
  auto primary = ParseStatsRows(Rows("stats_rows_primary_with_standby.tsv"));
  ASSERT_TRUE(primary.ok()) << primary.error();
  EXPECT_EQ(primary->replication_lag_seconds, 0.000797);
  for (double n : primary->connections) EXPECT_EQ(n, 0);
  auto standby = ParseStatsRows(Rows("stats_rows_standby.tsv"));
  ASSERT_TRUE(standby.ok()) << standby.error();
  EXPECT_EQ(standby->replication_lag_seconds, 1.070658);
  EXPECT_EQ(standby->blocks_read, 66);
}

TEST(ParseStatsRowsTest, StateNamesRoundTrip) {
  for (ConnectionState s : kAllConnectionStates) {
    if (s == ConnectionState::kOther) continue;
    std::string text(ConnectionStateName(s));
    for (char& c : text) c = c == '_' ? ' ' : c;
    if (s == ConnectionState::kIdleInTransactionAborted) text = "idle in transaction (aborted)";
    EXPECT_EQ(ParseConnectionState(text), s) << text;
  }
  EXPECT_EQ(ParseConnectionState(""), ConnectionState::kOther);
  EXPECT_EQ(ParseConnectionState("starting"), ConnectionState::kOther);
}

TEST(ParseStatsRowsTest, MalformedRowsAreErrors) {
  auto row = [](std::vector<std::optional<std::string>> fields) {
    PgRows rows;
    rows.rows.push_back(std::move(fields));
    return ParseStatsRows(rows);
  };
  EXPECT_FALSE(row({"blks_hit", "", "NaN"}).ok());
  EXPECT_FALSE(row({"blks_hit", "", "Infinity"}).ok());
  EXPECT_FALSE(row({"blks_hit", "", "-1"}).ok());
  EXPECT_FALSE(row({"blks_hit", "", "12x"}).ok());
  EXPECT_FALSE(row({"blks_hit", "", std::nullopt}).ok());
  EXPECT_FALSE(row({"blks_hit", ""}).ok());
  EXPECT_FALSE(row({std::nullopt, "", "1"}).ok());
  EXPECT_TRUE(row({"something_new", "", "1"}).ok());  // a newer query's row
  PgRows too_many;
  too_many.rows_dropped = 1;
  EXPECT_FALSE(ParseStatsRows(too_many).ok());
  EXPECT_TRUE(ParseStatsRows(PgRows{}).ok());
}

TEST(StatementsTest, QueryMatchesTheRecordedOneAndKeepsPatternsOutOfTheSql) {
  const auto q = internal::BuildStatementsQuery(
      {{.name = "count_t", .pattern = "^select count\\(\\*\\) from t"},
       {.name = "inserts", .pattern = "^insert"}});
  EXPECT_EQ(q.sql,
            "SELECT CASE WHEN query ~ $1::text THEN $2::text WHEN query ~ $3::text THEN $4::text "
            "ELSE 'other' END AS query_type, sum(calls)::float8, (sum(total_exec_time) / "
            "1000)::float8 FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database "
            "WHERE datname = current_database()) GROUP BY 1");
  EXPECT_EQ(q.params, (std::vector<std::string>{"^select count\\(\\*\\) from t", "count_t",
                                                "^insert", "inserts"}));
  EXPECT_EQ(internal::BuildStatementsQuery({}).sql.substr(0, 30), "SELECT 'other' AS query_type, ");
}

TEST(StatementsTest, RecordedRowsByType) {
  auto totals = ParseStatementRows(Rows("statements_rows.tsv"), {"count_t", "inserts", "unused"});
  ASSERT_TRUE(totals.ok()) << totals.error();
  ASSERT_EQ(totals->size(), 4u);
  EXPECT_EQ((*totals)[0], (StatementTotals{"count_t", 3, 9.2558e-05}));
  EXPECT_EQ((*totals)[1], (StatementTotals{"inserts", 2, 0.0019367350000000002}));
  EXPECT_EQ((*totals)[2], (StatementTotals{"unused", 0, 0}));  // always there
  EXPECT_EQ((*totals)[3], (StatementTotals{"other", 12, 6.031039827}));
}

TEST(StatementsTest, UnknownTypesAndBadNumbersAreErrors) {
  PgRows rows;
  rows.rows.push_back({"nobody_configured_this", "1", "1"});
  EXPECT_FALSE(ParseStatementRows(rows, {"a"}).ok());
  rows.rows = {{"a", "x", "1"}};
  EXPECT_FALSE(ParseStatementRows(rows, {"a"}).ok());
  rows.rows = {{"a", "1", "-2"}};
  EXPECT_FALSE(ParseStatementRows(rows, {"a"}).ok());
  rows.rows = {{"a", std::nullopt, std::nullopt}};
  EXPECT_TRUE(ParseStatementRows(rows, {"a"}).ok());
}

}  // namespace
}  // namespace vms::pg
