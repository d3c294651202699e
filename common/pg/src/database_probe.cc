#include "vms/pg/database_probe.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "stats_queries.h"
#include "vms/pg/pg_connection.h"

namespace vms::pg {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kFirstBackoff{500};
constexpr std::size_t kMaxStatsRows = 1000;

// The client deadline leaves the server's statement_timeout time to answer
// first, so a statement that is merely slow ends as the server cancelled it
// and the session is kept.
milliseconds ClientGrace(milliseconds timeout) {
  return std::clamp(timeout / 4, milliseconds(50), milliseconds(1000));
}

// `prepare` for the exporter's own statements: planned once per session.
// Probe queries are the operator's and are timed as they are sent.
PgQuery MakeQuery(std::string sql, std::vector<std::string> params, milliseconds timeout,
                  std::size_t max_rows, bool prepare) {
  return PgQuery{.sql = std::move(sql),
                 .params = std::move(params),
                 .statement_timeout = timeout,
                 .deadline = Clock::now() + timeout + ClientGrace(timeout),
                 .max_rows = max_rows,
                 .prepare = prepare};
}

}  // namespace

HistogramData QueryCounters::Histogram() const {
  return {.bounds = kQueryDurationBuckets, .bucket_counts = buckets, .count = count, .sum = sum};
}

const QueryCounters* DatabaseSnapshot::Query(std::string_view query_type) const {
  for (const auto& q : queries) {
    if (q.query_type == query_type) return &q;
  }
  return nullptr;
}

// A configured probe query as the scheduler sees it: its runs go to the
// owner's queue.
class DatabaseProbe::QueryProbe : public Probe {
 public:
  QueryProbe(std::shared_ptr<DatabaseProbe> owner, std::size_t task)
      : owner_(std::move(owner)), task_(task) {}
  void Start(Clock::time_point deadline, std::function<void()> done) override {
    owner_->Enqueue(task_, deadline, std::move(done));
  }
  void Cancel() override { owner_->CancelTask(task_); }

 private:
  std::shared_ptr<DatabaseProbe> owner_;
  std::size_t task_;
};

std::shared_ptr<DatabaseProbe> DatabaseProbe::Create(boost::asio::io_context& io,
                                                     DatabaseConfig config) {
  return std::shared_ptr<DatabaseProbe>(new DatabaseProbe(io, std::move(config)));
}

DatabaseProbe::DatabaseProbe(boost::asio::io_context& io, DatabaseConfig config)
    : io_(io),
      config_(std::move(config)),
      description_(config_.Describe()),
      tasks_(1 + config_.queries.size()) {
  counters_.push_back({.query_type = std::string(kStatsQueryType)});
  if (config_.statements) counters_.push_back({.query_type = std::string(kStatementsQueryType)});
  for (const auto& q : config_.queries)
    counters_.push_back({.query_type = q.query_type, .timed = true});
  Publish();
}

DatabaseProbe::~DatabaseProbe() {
  if (session_) session_->Close();
}

void DatabaseProbe::Start(Clock::time_point deadline, std::function<void()> done) {
  Enqueue(kStatsTask, deadline, std::move(done));
}

void DatabaseProbe::Cancel() { CancelTask(kStatsTask); }

milliseconds DatabaseProbe::Backstop() const {
  auto statement = [](milliseconds t) { return t + ClientGrace(t); };
  milliseconds total = config_.timeout + statement(config_.timeout);
  if (config_.statements) total += statement(config_.timeout);
  for (const auto& q : config_.queries) total += config_.timeout + statement(q.timeout);
  return total + milliseconds(1000);
}

std::vector<DatabaseProbe::Scheduled> DatabaseProbe::Schedules() {
  const milliseconds backstop = Backstop();
  std::vector<Scheduled> out;
  out.push_back({shared_from_this(), {.interval = config_.interval, .timeout = backstop}});
  for (std::size_t i = 0; i < config_.queries.size(); ++i) {
    out.push_back({std::make_shared<QueryProbe>(shared_from_this(), 1 + i),
                   {.interval = config_.queries[i].interval, .timeout = backstop}});
  }
  return out;
}

void DatabaseProbe::Shutdown() {
  shut_down_ = true;
  ++run_;
  if (session_) std::exchange(session_, nullptr)->Close();
  queue_.clear();
  running_.reset();
  std::vector<std::function<void()>> pending;
  for (Task& t : tasks_) {
    t.queued = t.running = false;
    if (t.done) pending.push_back(std::exchange(t.done, nullptr));
  }
  up_ = false;
  Publish();
  for (auto& done : pending) done();
}

void DatabaseProbe::Enqueue(std::size_t task, Clock::time_point deadline,
                            std::function<void()> done) {
  if (shut_down_) {
    if (done) done();
    return;
  }
  Task& t = tasks_[task];
  t.deadline = deadline;
  t.done = std::move(done);
  if (!t.queued && !t.running) {
    t.queued = true;
    queue_.push_back(task);
  }
  Pump();
}

void DatabaseProbe::CancelTask(std::size_t task) {
  Task& t = tasks_[task];
  // Before its deadline the run was removed (a reload); at it, the run
  // outlived the backstop, which no run's own timeouts allow.
  const bool timed_out = Clock::now() >= t.deadline;
  if (t.queued) {
    std::erase(queue_, task);
    t.queued = false;
  } else if (t.running) {
    ++run_;
    t.running = false;
    running_.reset();
    // The session is in the middle of something: only a new one is clean.
    if (session_) std::exchange(session_, nullptr)->Close();
    if (timed_out) SetUp(false, nullptr);
  } else {
    return;
  }
  t.done = nullptr;  // the scheduler frees the slot itself
  if (timed_out) {
    CountError(task == kStatsTask ? StatsCounters() : ProbeCounters(task - 1),
               PgError{PgErrorReason::kTimeout, "", "the run outlived the scheduler's deadline"});
    Publish();
  }
  Pump();
}

void DatabaseProbe::Pump() {
  if (running_ || queue_.empty() || shut_down_) return;
  const std::size_t task = queue_.front();
  queue_.pop_front();
  tasks_[task].queued = false;
  tasks_[task].running = true;
  running_ = task;
  ++run_;
  if (task == kStatsTask) {
    RunStats();
  } else {
    RunProbeQuery(task - 1);
  }
}

void DatabaseProbe::FinishTask(std::size_t task) {
  Task& t = tasks_[task];
  t.running = false;
  running_.reset();
  Publish();
  if (auto done = std::exchange(t.done, nullptr)) done();
  Pump();
}

void DatabaseProbe::WithSession(std::function<void(std::optional<PgError>)> then) {
  if (session_ && session_->ready()) return then(std::nullopt);
  const auto now = Clock::now();
  if (connect_failures_ > 0 && now < next_connect_ && last_connect_error_) {
    // Backing off: the run fails as the last attempt did, without touching
    // the server (a refused password is not tried again every second).
    return then(last_connect_error_);
  }
  session_ = PgConnection::Create(io_);
  session_->Connect(PgConnectRequest{.params = config_.params,
                                     .password = config_.password,
                                     .deadline = now + config_.timeout},
                    [this, run = run_, then = std::move(then)](std::optional<PgError> error) {
                      if (run != run_) return;
                      if (error) {
                        session_ = nullptr;
                        ++connect_failures_;
                        const int doublings = std::min(connect_failures_ - 1, 20);
                        next_connect_ =
                            Clock::now() + std::min<milliseconds>(kFirstBackoff * (1 << doublings),
                                                                  config_.reconnect_backoff_max);
                        last_connect_error_ = error;
                        SetUp(false, &*error);
                        return then(std::move(error));
                      }
                      connect_failures_ = 0;
                      last_connect_error_.reset();
                      SetUp(true, nullptr);
                      then(std::nullopt);
                    });
}

void DatabaseProbe::RunStats() {
  WithSession([this, run = run_](std::optional<PgError> error) {
    if (error) {
      CountError(StatsCounters(), *error);
      return FinishTask(kStatsTask);
    }
    session_->Query(
        MakeQuery(internal::StatsQuery(), {}, config_.timeout, kMaxStatsRows, /*prepare=*/true),
        [this, run](PgQueryResult r) {
          if (run != run_) return;
          if (r.error) {
            CountError(StatsCounters(), *r.error);
            stats_.reset();
            if (!session_->ready()) SessionLost(*r.error);
            return FinishTask(kStatsTask);
          }
          auto parsed = ParseStatsRows(r.rows);
          if (!parsed) {
            CountError(StatsCounters(), PgError{PgErrorReason::kQuery, "", parsed.error()});
            stats_.reset();
            return FinishTask(kStatsTask);
          }
          stats_ = std::move(*parsed);
          if (config_.statements) return RunStatements();
          FinishTask(kStatsTask);
        });
  });
}

void DatabaseProbe::RunStatements() {
  if (!stats_->has_pg_stat_statements) {
    statements_.reset();
    if (!logged_no_statements_) {
      spdlog::warn(
          "database {} ({}): the pg_stat_statements extension is not installed in this "
          "database; its totals are not exported (CREATE EXTENSION pg_stat_statements)",
          config_.name, description_);
      logged_no_statements_ = true;
    }
    return FinishTask(kStatsTask);
  }
  std::vector<std::string> names;
  for (const auto& t : config_.statement_types) names.push_back(t.name);
  auto q = internal::BuildStatementsQuery(config_.statement_types);
  const std::size_t max_rows = names.size() + 1;  // one per type and "other"
  session_->Query(
      MakeQuery(std::move(q.sql), std::move(q.params), config_.timeout, max_rows, /*prepare=*/true),
      [this, run = run_, names = std::move(names)](PgQueryResult r) {
        if (run != run_) return;
        Result<std::vector<StatementTotals>> parsed =
            r.error ? Result<std::vector<StatementTotals>>(Status::Error(r.error->message))
                    : ParseStatementRows(r.rows, names);
        if (!parsed) {
          const PgError error =
              r.error.value_or(PgError{PgErrorReason::kQuery, "", parsed.error()});
          CountError(*StatementsCounters(), error);
          statements_.reset();
          if (!logged_no_statements_) {
            // 55000: the extension exists but the library is not in
            // shared_preload_libraries.
            spdlog::warn(
                "database {} ({}): reading pg_stat_statements failed; its totals are "
                "not exported: {}",
                config_.name, description_, error.message);
            logged_no_statements_ = true;
          }
          if (!session_->ready()) SessionLost(error);
          return FinishTask(kStatsTask);
        }
        logged_no_statements_ = false;
        statements_ = std::move(*parsed);
        FinishTask(kStatsTask);
      });
}

void DatabaseProbe::RunProbeQuery(std::size_t index) {
  const std::size_t task = 1 + index;
  WithSession([this, run = run_, index, task](std::optional<PgError> error) {
    if (error) {
      CountError(ProbeCounters(index), *error);
      return FinishTask(task);
    }
    const ProbeQueryConfig& q = config_.queries[index];
    session_->Query(MakeQuery(q.sql, {}, q.timeout, 0, /*prepare=*/false),
                    [this, run, index, task](PgQueryResult r) {
                      if (run != run_) return;
                      QueryCounters& c = ProbeCounters(index);
                      if (r.error) {
                        CountError(c, *r.error);
                        if (!session_->ready()) SessionLost(*r.error);
                      } else {
                        const double seconds = r.duration.count();
                        const auto bucket = std::lower_bound(kQueryDurationBuckets.begin(),
                                                             kQueryDurationBuckets.end(), seconds);
                        if (bucket != kQueryDurationBuckets.end())
                          ++c.buckets[bucket - kQueryDurationBuckets.begin()];
                        ++c.count;
                        c.sum += seconds;
                      }
                      FinishTask(task);
                    });
  });
}

void DatabaseProbe::CountError(QueryCounters& counters, const PgError& error) {
  ++counters.errors[static_cast<std::size_t>(error.reason)];
  last_error_ = counters.query_type + ": " + std::string(PgErrorReasonName(error.reason)) + ": " +
                error.message;
}

void DatabaseProbe::SessionLost(const PgError& error) {
  if (session_) std::exchange(session_, nullptr)->Close();
  SetUp(false, &error);
}

void DatabaseProbe::SetUp(bool up, const PgError* why) {
  up_ = up;
  if (!up) {
    stats_.reset();
    statements_.reset();
  }
  // State changes only: a dead database must not write a line per run.
  if (logged_up_ == up) return;
  logged_up_ = up;
  if (up) {
    spdlog::info("database {} ({}) is up", config_.name, description_);
  } else {
    spdlog::warn("database {} ({}) is down: {}: {}", config_.name, description_,
                 why ? PgErrorReasonName(why->reason) : "timeout",
                 why ? why->message : "a run outlived the scheduler's deadline");
  }
}

void DatabaseProbe::Publish() {
  DatabaseSnapshot s;
  s.database = config_.name;
  s.up = up_;
  if (up_) {
    s.stats = stats_;
    s.statements = statements_;
  }
  s.queries = counters_;
  s.last_error = last_error_;
  s.updated = std::chrono::system_clock::now();
  snapshot_.Publish(std::move(s));
}

}  // namespace vms::pg
