#pragma once

#include <string>
#include <vector>

#include "support/postgres_server.h"

namespace vms::test {

inline constexpr char kPgMonitorPassword[] = "Circle-Of-Life-7";

// A PostgresServer as the exporter meets one: role `monitor` (password
// kPgMonitorPassword, member of pg_monitor), the given databases owned by
// it, and a password_file holding the password. Shared by the pg module's
// tests and the exporter's.
class PgMonitorServer {
 public:
  explicit PgMonitorServer(std::vector<std::string> databases,
                           std::vector<std::string> settings = {}, bool tls = false);

  PostgresServer& server() { return server_; }
  const std::string& password_file() const { return password_file_; }

  // Runs SQL as the superuser; fails the test on an error.
  std::string Sql(const std::string& sql, const std::string& db = "postgres");

  // The `databases:` entry's conninfo for `db` on this server (no password).
  std::string Conninfo(const std::string& db) const;

 private:
  PostgresServer server_;
  std::string password_file_;
};

}  // namespace vms::test
