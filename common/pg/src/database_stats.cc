#include "vms/pg/database_stats.h"

#include <cmath>

#include "vms/base/text.h"

namespace vms::pg {
namespace {

// A float8 in PostgreSQL's text output ("12", "1.5e-05", "NaN").
bool ParseFloat8(const std::optional<std::string>& text, double& out) {
  if (!text) return false;
  if (!ParseNumber(std::string_view(*text), out)) return false;
  return std::isfinite(out);
}

std::string RowError(std::size_t index, std::string_view what) {
  return "row " + std::to_string(index + 1) + " of the statistics query: " + std::string(what);
}

}  // namespace

std::string_view ConnectionStateName(ConnectionState state) {
  switch (state) {
    case ConnectionState::kActive:
      return "active";
    case ConnectionState::kIdle:
      return "idle";
    case ConnectionState::kIdleInTransaction:
      return "idle_in_transaction";
    case ConnectionState::kIdleInTransactionAborted:
      return "idle_in_transaction_aborted";
    case ConnectionState::kFastpathFunctionCall:
      return "fastpath_function_call";
    case ConnectionState::kDisabled:
      return "disabled";
    case ConnectionState::kOther:
      return "other";
  }
  return "other";
}

ConnectionState ParseConnectionState(std::string_view state) {
  if (state == "active") return ConnectionState::kActive;
  if (state == "idle") return ConnectionState::kIdle;
  if (state == "idle in transaction") return ConnectionState::kIdleInTransaction;
  if (state == "idle in transaction (aborted)") return ConnectionState::kIdleInTransactionAborted;
  if (state == "fastpath function call") return ConnectionState::kFastpathFunctionCall;
  if (state == "disabled") return ConnectionState::kDisabled;
  return ConnectionState::kOther;
}

Result<DatabaseStats> ParseStatsRows(const PgRows& rows) {
  DatabaseStats stats;
  for (std::size_t i = 0; i < rows.rows.size(); ++i) {
    const auto& row = rows.rows[i];
    if (row.size() != 3 || !row[0] || !row[1]) {
      return Status::Error(RowError(i, "expected kind, key and value"));
    }
    const std::string& kind = *row[0];
    double value = 0;
    if (!ParseFloat8(row[2], value) || value < 0) {
      return Status::Error(RowError(i, "the value of " + kind + " is not a number >= 0"));
    }
    if (kind == "connections") {
      stats.connections[static_cast<std::size_t>(ParseConnectionState(*row[1]))] += value;
    } else if (kind == "blks_hit") {
      stats.blocks_hit = value;
    } else if (kind == "blks_read") {
      stats.blocks_read = value;
    } else if (kind == "replication_lag") {
      stats.replication_lag_seconds = value;
    } else if (kind == "pg_stat_statements") {
      stats.has_pg_stat_statements = value > 0;
    }
  }
  if (rows.rows_dropped > 0) return Status::Error("the statistics query returned too many rows");
  return stats;
}

Result<std::vector<StatementTotals>> ParseStatementRows(const PgRows& rows,
                                                        const std::vector<std::string>& types) {
  std::vector<StatementTotals> totals;
  for (const auto& t : types) totals.push_back({.query_type = t});
  totals.push_back({.query_type = "other"});
  for (std::size_t i = 0; i < rows.rows.size(); ++i) {
    const auto& row = rows.rows[i];
    const std::string where = "row " + std::to_string(i + 1) + " of the statements query: ";
    if (row.size() != 3 || !row[0])
      return Status::Error(where + "expected query_type, calls, time");
    StatementTotals* entry = nullptr;
    for (auto& t : totals) {
      if (t.query_type == *row[0]) entry = &t;
    }
    if (entry == nullptr) return Status::Error(where + "a query_type that is not configured");
    double calls = 0;
    double seconds = 0;
    // sum() over no rows is NULL; GROUP BY makes that impossible, but a NULL
    // is no error either.
    if ((row[1] && (!ParseFloat8(row[1], calls) || calls < 0)) ||
        (row[2] && (!ParseFloat8(row[2], seconds) || seconds < 0))) {
      return Status::Error(where + "calls and time must be numbers >= 0");
    }
    entry->calls += calls;
    entry->exec_seconds += seconds;
  }
  if (rows.rows_dropped > 0) return Status::Error("the statements query returned too many rows");
  return totals;
}

}  // namespace vms::pg
