#include "stats_queries.h"

namespace vms::pg::internal {

const std::string& StatsQuery() {
  // Client backends only (not autovacuum, walsenders, ...), and not the
  // probe's own connection, so the counts are the application's.
  static const std::string kSql = R"sql(
SELECT 'connections' AS kind, coalesce(state, '') AS key, count(*)::float8 AS value
  FROM pg_stat_activity
 WHERE datname = current_database() AND backend_type = 'client backend'
   AND pid <> pg_backend_pid()
 GROUP BY 2
UNION ALL
SELECT 'blks_hit', '', blks_hit::float8 FROM pg_stat_database WHERE datname = current_database()
UNION ALL
SELECT 'blks_read', '', blks_read::float8 FROM pg_stat_database WHERE datname = current_database()
UNION ALL
SELECT 'replication_lag', 'primary', coalesce(max(extract(epoch FROM replay_lag)), 0)::float8
  FROM pg_stat_replication WHERE NOT pg_is_in_recovery() HAVING count(*) > 0
UNION ALL
SELECT 'replication_lag', 'standby',
       extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8
 WHERE pg_is_in_recovery() AND pg_last_xact_replay_timestamp() IS NOT NULL
UNION ALL
SELECT 'pg_stat_statements', '', count(*)::float8 FROM pg_extension
 WHERE extname = 'pg_stat_statements'
)sql";
  return kSql;
}

StatementsQuery BuildStatementsQuery(const std::vector<StatementTypeConfig>& types) {
  StatementsQuery q;
  std::string type = "'other'";
  if (!types.empty()) {
    type = "CASE";
    for (const auto& t : types) {
      q.params.push_back(t.pattern);
      q.params.push_back(t.name);
      // $N for the pattern, $N+1 for its name.
      type += " WHEN query ~ $";
      type += std::to_string(q.params.size() - 1);
      type += "::text THEN $";
      type += std::to_string(q.params.size());
      type += "::text";
    }
    type += " ELSE 'other' END";
  }
  q.sql = "SELECT " + type +
          " AS query_type, sum(calls)::float8, (sum(total_exec_time) / 1000)::float8"
          " FROM pg_stat_statements"
          " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
          " GROUP BY 1";
  return q;
}

}  // namespace vms::pg::internal
