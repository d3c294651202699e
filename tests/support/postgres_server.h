#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "support/subprocess.h"

namespace vms::test {

// A PostgreSQL 15 server of the test's own (Debian's postgresql-15): initdb'd
// in a temp dir and run on a free loopback port as an unprivileged user
// (`postgres` if it exists, else `nobody`; the server refuses to run as
// root). TCP logins need a password (scram-sha-256); the superuser
// `postgres` is trusted on the server's Unix socket, which Psql() uses.
// Stopped with a fast shutdown and reaped on destruction.
class PostgresServer {
 public:
  // `settings`: extra name=value server settings (-c), e.g.
  // "shared_preload_libraries=pg_stat_statements". With `tls` the server
  // also speaks TLS, with a self-signed certificate made for it.
  explicit PostgresServer(std::vector<std::string> settings = {}, bool tls = false);
  // A streaming standby of `primary` (pg_basebackup -R over its Unix
  // socket), on a port of its own, with the same settings.
  static std::unique_ptr<PostgresServer> StandbyOf(const PostgresServer& primary);
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  bool ready() const { return ready_; }
  unsigned short port() const { return port_; }
  const std::string& dir() const { return dir_; }  // temp dir: data/, the socket, the log
  std::string Log() const;  // the server's log, and initdb's output when that failed
  pid_t pid() const { return process_ ? process_->pid() : -1; }

  // Runs `sql` with psql as the superuser over the Unix socket (-X -At,
  // stopping at the first error); output is psql's stdout and stderr.
  CommandResult Psql(const std::string& sql, const std::string& dbname = "postgres") const;

  // Fast shutdown, waiting for the server to exit.
  void Stop();
  // Starts the stopped server again on the same port; true once it answers.
  bool Start();

 private:
  PostgresServer(const PostgresServer& primary, bool standby);

  std::string dir_;
  unsigned short port_ = 0;
  std::vector<std::string> settings_;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  std::string init_output_;
  std::unique_ptr<Subprocess> process_;
  bool ready_ = false;
};

}  // namespace vms::test
