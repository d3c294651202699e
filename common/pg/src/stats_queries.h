#pragma once

#include <string>
#include <vector>

#include "vms/pg/database_config.h"

namespace vms::pg::internal {

// One statement, one round trip, rows of (kind, key, value) in text, parsed
// by ParseStatsRows.
const std::string& StatsQuery();

// pg_stat_statements of the current database summed by query_type. The
// patterns and names go as parameters ($1, $2, ...), never into the SQL text;
// the server matches them, so query texts never leave it and the rows are as
// many as the types.
struct StatementsQuery {
  std::string sql;
  std::vector<std::string> params;
};
StatementsQuery BuildStatementsQuery(const std::vector<StatementTypeConfig>& types);

}  // namespace vms::pg::internal
