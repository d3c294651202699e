#pragma once

// What the PostgreSQL integration tests share: a real server with a monitor
// role, an io_context on a thread of its own, configs read the way the
// exporter reads them, and polling for a probe's snapshot.

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <fstream>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/pg_monitor_server.h"
#include "vms/pg/database_config.h"
#include "vms/pg/database_probe.h"
#include "vms/probe/probe_scheduler.h"

namespace vms::pg::test {

using namespace std::chrono_literals;

inline constexpr const char* kPassword = vms::test::kPgMonitorPassword;

// A server with role `monitor` (password kPassword, pg_monitor) and the
// given databases, owned by monitor, plus libpq sessions of the test's own.
class PgServerFixture : public vms::test::PgMonitorServer {
 public:
  using PgMonitorServer::PgMonitorServer;

  // A libpq session of the test's own (blocking: the test's thread).
  struct Session {
    PGconn* conn = nullptr;
    ~Session() {
      if (conn) PQfinish(conn);
    }
    void Exec(const std::string& sql) { PQclear(PQexec(conn, sql.c_str())); }
  };
  std::unique_ptr<Session> Open(const std::string& db) {
    auto s = std::make_unique<Session>();
    const std::string conninfo = "host=127.0.0.1 port=" + std::to_string(server().port()) +
                                 " dbname=" + db + " user=monitor password=" + kPassword +
                                 " application_name=test-session";
    s->conn = PQconnectdb(conninfo.c_str());
    EXPECT_EQ(PQstatus(s->conn), CONNECTION_OK) << PQerrorMessage(s->conn);
    return s;
  }
};

// `databases:` YAML read as the exporter reads it.
inline std::vector<DatabaseConfig> ParseConfig(const std::string& yaml,
                                               const std::string& file = "/tmp/pg-test.yml") {
  MapReader root(ParseYaml(yaml, file), file, "");
  auto databases = ParseDatabases(root, ProbeDefaults{});
  root.Finish();
  return databases;
}

// An io_context running on its own thread, with a ProbeScheduler on it.
class IoThread {
 public:
  IoThread() : work_(boost::asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {
    Run([this] { scheduler_ = std::make_unique<ProbeScheduler>(io_, 8); });
  }
  ~IoThread() {
    Run([this] {
      scheduler_->Stop();
      for (auto& p : probes_) p->Shutdown();
      scheduler_.reset();
      probes_.clear();
    });
    work_.reset();
    io_.stop();
    thread_.join();
  }
  boost::asio::io_context& io() { return io_; }

  // Runs `fn` on the io thread and waits for it.
  void Run(const std::function<void()>& fn) {
    std::promise<void> done;
    boost::asio::post(io_, [&] {
      fn();
      done.set_value();
    });
    done.get_future().wait();
  }

  // Creates a probe for `config` and schedules all its runs.
  std::shared_ptr<DatabaseProbe> Add(DatabaseConfig config) {
    std::shared_ptr<DatabaseProbe> probe;
    Run([&] {
      probe = DatabaseProbe::Create(io_, std::move(config));
      for (auto& s : probe->Schedules()) {
        s.schedule.jitter = 0;
        scheduler_->Add(s.probe, s.schedule);
      }
      probes_.push_back(probe);
    });
    return probe;
  }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::unique_ptr<ProbeScheduler> scheduler_;
  std::vector<std::shared_ptr<DatabaseProbe>> probes_;
  std::thread thread_;
};

// Polls the probe's snapshot until `accept` holds or `limit` passes; returns
// the last snapshot.
inline std::shared_ptr<const DatabaseSnapshot> WaitFor(
    const DatabaseProbe& probe, const std::function<bool(const DatabaseSnapshot&)>& accept,
    std::chrono::milliseconds limit = 20s) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  for (;;) {
    auto s = probe.Latest();
    if (accept(*s) || std::chrono::steady_clock::now() > give_up) return s;
    std::this_thread::sleep_for(10ms);
  }
}

inline double Connections(const DatabaseSnapshot& s, ConnectionState state) {
  return s.stats ? s.stats->connections[static_cast<std::size_t>(state)] : -1;
}

inline std::uint64_t Errors(const DatabaseSnapshot& s, std::string_view query_type,
                            PgErrorReason reason) {
  const QueryCounters* q = s.Query(query_type);
  return q ? q->Errors(reason) : 0;
}

}  // namespace vms::pg::test
