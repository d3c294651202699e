#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vms/base/status.h"
#include "vms/config/probe_defaults.h"
#include "vms/config/yaml_reader.h"

namespace vms::pg {

// Label cardinality is bounded by the config, and the config is capped.
inline constexpr std::size_t kMaxDatabases = 64;
inline constexpr std::size_t kMaxProbeQueries = 32;    // per database
inline constexpr std::size_t kMaxStatementTypes = 32;  // per database, besides "other"

// query_type values the probe uses for its own statements.
inline constexpr std::string_view kStatsQueryType = "stats";
inline constexpr std::string_view kStatementsQueryType = "statements";
inline constexpr std::string_view kOtherStatementType = "other";

// A configured probe query: timed into database_query_duration_seconds.
struct ProbeQueryConfig {
  std::string query_type;  // the query_type label
  std::string sql;         // sent as is with the simple query protocol
  std::chrono::milliseconds interval{10'000};
  std::chrono::milliseconds timeout{5'000};
  bool operator==(const ProbeQueryConfig&) const = default;
};

// pg_stat_statements entries whose query text matches `pattern` (a
// PostgreSQL regular expression, matched by the server) count as `name`.
struct StatementTypeConfig {
  std::string name;
  std::string pattern;
  bool operator==(const StatementTypeConfig&) const = default;
};

// One `databases:` entry.
struct DatabaseConfig {
  std::string name;  // the database label
  // The conninfo's libpq keywords and values, in order; never a password.
  std::vector<std::pair<std::string, std::string>> params;
  std::string password;                        // from password_file; never logged
  std::chrono::milliseconds interval{10'000};  // statistics queries
  std::chrono::milliseconds timeout{5'000};    // connecting, and each statistics query
  // Connection attempts after a failure wait 500ms, 1s, 2s, ... up to this.
  std::chrono::milliseconds reconnect_backoff_max{60'000};
  std::vector<ProbeQueryConfig> queries;
  bool statements = false;                           // export pg_stat_statements totals
  std::vector<StatementTypeConfig> statement_types;  // first match wins; the rest is "other"
  bool operator==(const DatabaseConfig&) const = default;

  // "host=... port=... dbname=... user=..." for log lines: no secrets.
  std::string Describe() const;
};

// libpq's keywords and values of a connection string (key=value pairs or a
// postgresql:// URI), without defaults from the environment. Rejected: a
// password (it goes in password_file), passfile and service (secrets and
// hosts from elsewhere), connect_timeout (the probe's timeout rules) and a
// string naming no host (the probe resolves host names itself, so that libpq
// never blocks on DNS). Errors never quote the string.
Result<std::vector<std::pair<std::string, std::string>>> ParseConninfo(std::string_view conninfo);

// The `databases:` list of `root`. Throws ConfigError naming
// file:line:column and key. Durations default to `defaults`; a query's to
// its database's.
std::vector<DatabaseConfig> ParseDatabases(MapReader& root, const ProbeDefaults& defaults);

}  // namespace vms::pg
