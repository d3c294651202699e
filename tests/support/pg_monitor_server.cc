#include "support/pg_monitor_server.h"

#include <gtest/gtest.h>

#include <fstream>

namespace vms::test {

PgMonitorServer::PgMonitorServer(std::vector<std::string> databases,
                                 std::vector<std::string> settings, bool tls)
    : server_(std::move(settings), tls) {
  if (!server_.ready()) return;
  Sql(std::string("CREATE ROLE monitor LOGIN PASSWORD '") + kPgMonitorPassword + "'");
  Sql("GRANT pg_monitor TO monitor");
  for (const auto& db : databases) Sql("CREATE DATABASE " + db + " OWNER monitor");
  password_file_ = server_.dir() + "/monitor.password";
  std::ofstream(password_file_) << kPgMonitorPassword << "\n";
}

std::string PgMonitorServer::Sql(const std::string& sql, const std::string& db) {
  auto r = server_.Psql(sql, db);
  EXPECT_EQ(r.exit_code, 0) << sql << "\n" << r.output;
  return r.output;
}

std::string PgMonitorServer::Conninfo(const std::string& db) const {
  return "host=127.0.0.1 port=" + std::to_string(server_.port()) + " dbname=" + db +
         " user=monitor";
}

}  // namespace vms::test
