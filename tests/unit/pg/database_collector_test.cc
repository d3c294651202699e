#include "vms/pg/database_collector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "vms/metrics/exposition_text.h"

namespace vms::pg {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Render(std::vector<std::shared_ptr<const DatabaseSnapshot>> dbs) {
  std::vector<prometheus::MetricFamily> families;
  MetricWriter writer(&families);
  WriteDatabaseFamilies(dbs, writer);
  std::string text;
  AppendFamiliesText(std::move(families), text);
  return text;
}

std::shared_ptr<const DatabaseSnapshot> Up() {
  DatabaseSnapshot s;
  s.database = "main";
  s.up = true;
  DatabaseStats stats;
  stats.connections[static_cast<std::size_t>(ConnectionState::kIdle)] = 3;
  stats.connections[static_cast<std::size_t>(ConnectionState::kActive)] = 1;
  stats.blocks_hit = 1000;
  stats.blocks_read = 20;
  stats.replication_lag_seconds = 0.25;
  s.stats = stats;
  s.statements = std::vector<StatementTotals>{{"camera_list", 7, 0.5}, {"other", 2, 0.125}};
  QueryCounters ping{.query_type = "ping", .timed = true};
  ping.buckets[0] = 2;  // <= 1ms
  ping.buckets[4] = 1;  // <= 25ms
  ping.count = 4;       // one beyond 10s
  ping.sum = 12.5;
  ping.errors[static_cast<std::size_t>(PgErrorReason::kTimeout)] = 5;
  s.queries = {{.query_type = "stats"}, {.query_type = "statements"}, ping};
  return std::make_shared<const DatabaseSnapshot>(std::move(s));
}

std::shared_ptr<const DatabaseSnapshot> Down() {
  DatabaseSnapshot s;
  s.database = "replica";
  QueryCounters stats{.query_type = "stats"};
  stats.errors[static_cast<std::size_t>(PgErrorReason::kAuth)] = 2;
  s.queries = {stats, {.query_type = "ping", .timed = true}};
  return std::make_shared<const DatabaseSnapshot>(std::move(s));
}

TEST(DatabaseCollectorTest, SeriesOfADatabaseThatIsUp) {
  const std::string text = Render({Up()});
  for (const char* line : {
           "database_up{database=\"main\"} 1\n",
           "database_query_duration_seconds_bucket{database=\"main\",query_type=\"ping\",le=\"0."
           "001\"} 2\n",
           "database_query_duration_seconds_bucket{database=\"main\",query_type=\"ping\",le=\"0."
           "025\"} 3\n",
           "database_query_duration_seconds_bucket{database=\"main\",query_type=\"ping\",le=\"10\"}"
           " 3\n",
           "database_query_duration_seconds_bucket{database=\"main\",query_type=\"ping\",le=\"+"
           "Inf\"} 4\n",
           "database_query_duration_seconds_sum{database=\"main\",query_type=\"ping\"} 12.5\n",
           "database_query_errors_total{database=\"main\",query_type=\"ping\",reason=\"timeout\"} "
           "5\n",
           "database_query_errors_total{database=\"main\",query_type=\"ping\",reason=\"connection_"
           "lost\"} 0\n",
           "database_query_errors_total{database=\"main\",query_type=\"statements\",reason="
           "\"query\"} 0\n",
           "database_connections{database=\"main\",state=\"idle\"} 3\n",
           "database_connections{database=\"main\",state=\"active\"} 1\n",
           "database_connections{database=\"main\",state=\"idle_in_transaction_aborted\"} 0\n",
           "database_blocks_hit_total{database=\"main\"} 1000\n",
           "database_blocks_read_total{database=\"main\"} 20\n",
           "database_replication_lag_seconds{database=\"main\"} 0.25\n",
           "database_statements_calls_total{database=\"main\",query_type=\"camera_list\"} 7\n",
           "database_statements_exec_seconds_total{database=\"main\",query_type=\"other\"} 0.125\n",
       }) {
    EXPECT_THAT(text, HasSubstr(line));
  }
  // The probe's own statements are not timed.
  EXPECT_THAT(
      text, Not(HasSubstr("query_duration_seconds_count{database=\"main\",query_type=\"stats\"")));
}

TEST(DatabaseCollectorTest, ADatabaseThatIsDownKeepsUpErrorsAndDurations) {
  const std::string text = Render({Up(), Down()});
  EXPECT_THAT(text, HasSubstr("database_up{database=\"replica\"} 0\n"));
  EXPECT_THAT(text,
              HasSubstr("database_query_errors_total{database=\"replica\",query_type=\"stats\","
                        "reason=\"auth\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("database_query_duration_seconds_count{database=\"replica\","
                              "query_type=\"ping\"} 0\n"));
  // Nothing measured is shown for it.
  EXPECT_THAT(text, Not(HasSubstr("database_connections{database=\"replica\"")));
  EXPECT_THAT(text, Not(HasSubstr("database_blocks_hit_total{database=\"replica\"")));
  EXPECT_THAT(text, Not(HasSubstr("database_statements_calls_total{database=\"replica\"")));
  // Five reasons for each query_type of each database, no more.
  std::size_t errors = 0;
  for (auto p = text.find("\ndatabase_query_errors_total{"); p != std::string::npos;
       p = text.find("\ndatabase_query_errors_total{", p + 1)) {
    ++errors;
  }
  EXPECT_EQ(errors, (3 + 2) * kAllPgErrorReasons.size());
}

TEST(DatabaseCollectorTest, EveryFamilyHasHelpSayingHowItRefreshes) {
  const std::string text = Render({Up()});
  for (const char* family :
       {"database_up", "database_connections", "database_blocks_hit_total",
        "database_replication_lag_seconds", "database_statements_calls_total"}) {
    const auto help = text.find(std::string("# HELP ") + family + " ");
    ASSERT_NE(help, std::string::npos) << family;
    EXPECT_THAT(text.substr(help, text.find('\n', help) - help),
                HasSubstr("background probe, not by scrapes"));
  }
}

TEST(DatabaseCollectorTest, NoDatabasesNoSeries) { EXPECT_EQ(Render({}), ""); }

}  // namespace
}  // namespace vms::pg
