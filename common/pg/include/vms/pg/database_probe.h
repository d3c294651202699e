#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vms/base/histogram_data.h"
#include "vms/base/snapshot.h"
#include "vms/pg/database_config.h"
#include "vms/pg/database_stats.h"
#include "vms/pg/pg_error.h"
#include "vms/probe/probe_scheduler.h"

namespace vms::pg {

class PgConnection;
struct PgQueryResult;

// Upper bounds of database_query_duration_seconds (probe queries are
// usually fast: the low buckets are fine).
inline constexpr std::array<double, 13> kQueryDurationBuckets = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

// Counters of one query_type over the probe's lifetime.
struct QueryCounters {
  std::string query_type;
  bool timed = false;  // a configured probe query: has a duration histogram
  // Durations of the runs that succeeded; a failed run only counts an error.
  std::array<std::uint64_t, kQueryDurationBuckets.size()> buckets{};  // not cumulative
  std::uint64_t count = 0;
  double sum = 0;
  std::array<std::uint64_t, kAllPgErrorReasons.size()> errors{};  // by PgErrorReason
  std::uint64_t Errors(PgErrorReason reason) const {
    return errors[static_cast<std::size_t>(reason)];
  }
  HistogramData Histogram() const;
};

// What the collector reads; published whole after every run, never changed.
struct DatabaseSnapshot {
  std::string database;  // the database label
  bool up = false;       // a session is open and its last statement did not break it
  // From the last statistics run, when it succeeded and the database is up.
  std::optional<DatabaseStats> stats;
  // pg_stat_statements totals, when configured, the extension exists and the
  // last read succeeded.
  std::optional<std::vector<StatementTotals>> statements;
  // "stats", then "statements" when configured, then each probe query in
  // config order.
  std::vector<QueryCounters> queries;
  std::string last_error;  // sanitized: safe to show
  std::chrono::system_clock::time_point updated{};

  const QueryCounters* Query(std::string_view query_type) const;
};

// Watches one PostgreSQL database over one session that it opens, keeps,
// and reopens with back-off when it is lost (500ms, 1s, 2s, ... up to
// reconnect_backoff_max between attempts). The statistics (connections by
// state, block counters, replication lag, pg_stat_statements totals) are read
// every `interval`, each configured probe query runs every its own interval,
// each with its own timeout, enforced on the server with statement_timeout
// and on the client with a deadline. They share the session, so they run one
// after the other; a run's timeout counts from when it starts on the session,
// so waiting behind a slow query is not a timeout.
//
// Give Schedules() to a ProbeScheduler; it starts the runs, and scrapes never
// do. The scheduler's deadline for a run is only a backstop (the longest the
// run could wait and take); the run's own timeouts end it long before.
// Everything runs on the io_context's thread and never blocks it; Latest()
// may be read from any thread.
class DatabaseProbe : public Probe, public std::enable_shared_from_this<DatabaseProbe> {
 public:
  static std::shared_ptr<DatabaseProbe> Create(boost::asio::io_context& io, DatabaseConfig config);
  ~DatabaseProbe() override;
  DatabaseProbe(const DatabaseProbe&) = delete;
  DatabaseProbe& operator=(const DatabaseProbe&) = delete;

  // The statistics run (this object's own Probe role).
  void Start(std::chrono::steady_clock::time_point deadline, std::function<void()> done) override;
  void Cancel() override;

  struct Scheduled {
    std::shared_ptr<Probe> probe;
    ProbeSchedule schedule;
  };
  // This probe at the database's interval, and one probe per configured query
  // at its own; each holds this object.
  std::vector<Scheduled> Schedules();

  // Closes the session and ignores later runs (a config reload replaced it).
  void Shutdown();

  // Never null: a snapshot with up 0 and zero counters is there from the start.
  std::shared_ptr<const DatabaseSnapshot> Latest() const { return snapshot_.Read(); }
  const DatabaseConfig& config() const { return config_; }

 private:
  class QueryProbe;
  static constexpr std::size_t kStatsTask = 0;  // then 1 + index of config_.queries

  struct Task {
    bool queued = false;
    bool running = false;
    std::chrono::steady_clock::time_point deadline{};  // the scheduler's
    std::function<void()> done;
  };

  DatabaseProbe(boost::asio::io_context& io, DatabaseConfig config);
  void Enqueue(std::size_t task, std::chrono::steady_clock::time_point deadline,
               std::function<void()> done);
  void CancelTask(std::size_t task);
  void Pump();
  void RunTask(std::size_t task);
  void FinishTask(std::size_t task);
  // Calls `then` with no error once a session is open, or with why not.
  void WithSession(std::function<void(std::optional<PgError>)> then);
  void RunStats();
  void RunStatements();
  void RunProbeQuery(std::size_t index);
  void CountError(QueryCounters& counters, const PgError& error);
  void SessionLost(const PgError& error);
  void SetUp(bool up, const PgError* why);
  void Publish();
  std::chrono::milliseconds Backstop() const;
  QueryCounters& StatsCounters() { return counters_[0]; }
  QueryCounters* StatementsCounters() { return config_.statements ? &counters_[1] : nullptr; }
  QueryCounters& ProbeCounters(std::size_t index) {
    return counters_[index + (config_.statements ? 2 : 1)];
  }

  boost::asio::io_context& io_;
  const DatabaseConfig config_;
  const std::string description_;  // for log lines: no password
  Snapshot<DatabaseSnapshot> snapshot_;

  std::shared_ptr<PgConnection> session_;
  bool shut_down_ = false;
  std::vector<Task> tasks_;
  std::deque<std::size_t> queue_;
  std::optional<std::size_t> running_;
  std::uint64_t run_ = 0;  // bumped per task run: a late handler of an aborted run sees it

  bool up_ = false;
  std::optional<bool> logged_up_;  // the state last logged: state changes only
  int connect_failures_ = 0;       // in a row
  std::chrono::steady_clock::time_point next_connect_{};
  std::optional<PgError> last_connect_error_;
  std::optional<DatabaseStats> stats_;
  std::optional<std::vector<StatementTotals>> statements_;
  bool logged_no_statements_ = false;  // said once that pg_stat_statements is missing
  std::vector<QueryCounters> counters_;
  std::string last_error_;
};

}  // namespace vms::pg
