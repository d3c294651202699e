#include "vms/pg/database_config.h"

#include <libpq-fe.h>

#include <memory>
#include <regex>
#include <set>

#include "vms/pg/pg_error.h"

namespace vms::pg {
namespace {

using std::chrono::milliseconds;

const std::regex kDatabaseName("^[A-Za-z0-9_.:-]{1,64}$");
const std::regex kQueryType("^[A-Za-z_][A-Za-z0-9_]{0,63}$");

// Keywords a conninfo may not hold, and why.
struct Forbidden {
  const char* keyword;
  const char* why;
};
constexpr Forbidden kForbidden[] = {
    {"password", "holds a password; give password_file instead"},
    {"passfile", "names a password file; give password_file instead"},
    {"service", "names a service file entry; give host, port and dbname instead"},
    {"connect_timeout", "sets connect_timeout; the database's timeout bounds connecting"},
};

milliseconds DefaultTimeout(milliseconds fallback, milliseconds interval) {
  return std::min(fallback, interval);
}

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> ParseConninfo(std::string_view conninfo) {
  char* errmsg = nullptr;
  const std::string text(conninfo);
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
      PQconninfoParse(text.c_str(), &errmsg), &PQconninfoFree);
  if (!options) {
    // libpq quotes the piece it could not parse, which may be a password.
    std::string why = errmsg ? RedactQuoted(SanitizePgMessage(errmsg, "")) : "out of memory";
    PQfreemem(errmsg);
    return Status::Error("is not a valid libpq connection string: " + why);
  }
  std::vector<std::pair<std::string, std::string>> params;
  bool has_host = false;
  for (const PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    const std::string keyword = o->keyword;
    for (const Forbidden& f : kForbidden) {
      if (keyword == f.keyword) return Status::Error(f.why);
    }
    if ((keyword == "host" || keyword == "hostaddr") && o->val[0] != '\0') has_host = true;
    params.emplace_back(keyword, o->val);
  }
  if (!has_host) {
    return Status::Error(
        "names no host; give host= (an address, a name, or a Unix socket directory)");
  }
  return params;
}

std::string DatabaseConfig::Describe() const {
  std::string out;
  for (const char* key : {"host", "hostaddr", "port", "dbname", "user"}) {
    for (const auto& [k, v] : params) {
      if (k != key) continue;
      if (!out.empty()) out += ' ';
      out += k + "=" + v;
    }
  }
  return out;
}

std::vector<DatabaseConfig> ParseDatabases(MapReader& root, const ProbeDefaults& defaults) {
  std::vector<DatabaseConfig> databases;
  std::set<std::string> names;
  root.Each("databases", [&](MapReader& m) {
    if (databases.size() == kMaxDatabases) {
      m.Fail("", "more than " + std::to_string(kMaxDatabases) + " databases");
    }
    DatabaseConfig d;
    d.name = m.String("name");
    if (!std::regex_match(d.name, kDatabaseName)) {
      m.Fail("name", "must be 1-64 characters of A-Z a-z 0-9 _ . : -");
    }
    if (!names.insert(d.name).second) m.Fail("name", "duplicate database name \"" + d.name + "\"");
    auto params = ParseConninfo(m.String("conninfo"));
    if (!params) m.Fail("conninfo", params.error());
    d.params = std::move(*params);
    if (m.Has("password")) {
      m.Fail("password", "inline passwords are not accepted; use password_file");
    }
    d.password = m.SecretFile("password_file");
    d.interval = m.Duration("interval", defaults.interval, kMinProbeInterval, kMaxProbeInterval);
    d.timeout = m.Duration("timeout", DefaultTimeout(defaults.timeout, d.interval),
                           kMinProbeTimeout, kMaxProbeInterval);
    if (d.timeout > d.interval) m.Fail("timeout", "must not exceed interval");
    d.reconnect_backoff_max = m.Duration("reconnect_backoff_max", d.reconnect_backoff_max,
                                         milliseconds(500), std::chrono::hours(1));

    std::set<std::string> query_types;
    m.Each("queries", [&](MapReader& q) {
      if (d.queries.size() == kMaxProbeQueries) {
        q.Fail("", "more than " + std::to_string(kMaxProbeQueries) + " queries");
      }
      ProbeQueryConfig c;
      c.query_type = q.String("query_type");
      if (!std::regex_match(c.query_type, kQueryType)) {
        q.Fail("query_type", "must be 1-64 characters of A-Z a-z 0-9 _, not starting with a digit");
      }
      if (c.query_type == kStatsQueryType || c.query_type == kStatementsQueryType) {
        q.Fail("query_type", "\"" + c.query_type + "\" is the probe's own; choose another");
      }
      if (!query_types.insert(c.query_type).second) {
        q.Fail("query_type", "duplicate query_type \"" + c.query_type + "\"");
      }
      c.sql = q.String("sql");
      if (c.sql.find_first_not_of(" \t\r\n;") == std::string::npos) q.Fail("sql", "is empty");
      c.interval = q.Duration("interval", d.interval, kMinProbeInterval, kMaxProbeInterval);
      c.timeout = q.Duration("timeout", DefaultTimeout(d.timeout, c.interval), kMinProbeTimeout,
                             kMaxProbeInterval);
      if (c.timeout > c.interval) q.Fail("timeout", "must not exceed interval");
      d.queries.push_back(std::move(c));
    });

    d.statements = m.Has("statements");
    MapReader statements = m.Map("statements");
    std::set<std::string> type_names;
    statements.Each("query_types", [&](MapReader& t) {
      if (d.statement_types.size() == kMaxStatementTypes) {
        t.Fail("", "more than " + std::to_string(kMaxStatementTypes) + " query_types");
      }
      StatementTypeConfig c;
      c.name = t.String("name");
      if (!std::regex_match(c.name, kQueryType)) {
        t.Fail("name", "must be 1-64 characters of A-Z a-z 0-9 _, not starting with a digit");
      }
      if (c.name == kOtherStatementType) t.Fail("name", "\"other\" is what matches no pattern");
      if (!type_names.insert(c.name).second) t.Fail("name", "duplicate name \"" + c.name + "\"");
      c.pattern = t.String("pattern");
      if (c.pattern.empty()) t.Fail("pattern", "is empty");
      d.statement_types.push_back(std::move(c));
    });
    statements.Finish();
    databases.push_back(std::move(d));
  });
  return databases;
}

}  // namespace vms::pg
