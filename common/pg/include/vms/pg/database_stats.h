#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vms/base/status.h"
#include "vms/pg/pg_rows.h"

namespace vms::pg {

// pg_stat_activity.state of client backends, as label values.
enum class ConnectionState {
  kActive,
  kIdle,
  kIdleInTransaction,
  kIdleInTransactionAborted,
  kFastpathFunctionCall,
  kDisabled,  // track_activities is off
  kOther,     // a state this list does not know, or none
};
inline constexpr std::array kAllConnectionStates = {ConnectionState::kActive,
                                                    ConnectionState::kIdle,
                                                    ConnectionState::kIdleInTransaction,
                                                    ConnectionState::kIdleInTransactionAborted,
                                                    ConnectionState::kFastpathFunctionCall,
                                                    ConnectionState::kDisabled,
                                                    ConnectionState::kOther};
std::string_view ConnectionStateName(ConnectionState state);  // "idle_in_transaction"
// pg_stat_activity's text ("idle in transaction") → the state.
ConnectionState ParseConnectionState(std::string_view state);

// What one run of the statistics query found.
struct DatabaseStats {
  // Client backends connected to the database by state, the probe's own
  // connection not counted.
  std::array<double, kAllConnectionStates.size()> connections{};
  // pg_stat_database of the database, raw counters.
  std::optional<double> blocks_hit;
  std::optional<double> blocks_read;
  // Seconds: on a primary the largest replay_lag of pg_stat_replication
  // (0 when every standby caught up), on a standby now() -
  // pg_last_xact_replay_timestamp(); absent on a primary without standbys or a
  // standby that has replayed nothing.
  std::optional<double> replication_lag_seconds;
  bool has_pg_stat_statements = false;  // the extension exists in the database
  bool operator==(const DatabaseStats&) const = default;
};

// The statistics query's rows, (kind, key, value) in text: see
// StatsQuery() in stats_queries.h. Unknown kinds are ignored; a malformed row
// is an error.
Result<DatabaseStats> ParseStatsRows(const PgRows& rows);

// pg_stat_statements totals of one query_type.
struct StatementTotals {
  std::string query_type;
  double calls = 0;
  double exec_seconds = 0;  // total_exec_time
  bool operator==(const StatementTotals&) const = default;
};

// The statements query's rows, (query_type, calls, total exec seconds): one
// entry per name of `types` and then "other", in that order, 0 where no row
// came. A row naming no known type is an error.
Result<std::vector<StatementTotals>> ParseStatementRows(const PgRows& rows,
                                                        const std::vector<std::string>& types);

}  // namespace vms::pg
