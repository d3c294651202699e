#include "vms/pg/database_collector.h"

#include <string>

#include "vms/base/text.h"

namespace vms::pg {
namespace {

constexpr const char* kNote = " Refreshed every interval by a background probe, not by scrapes.";
constexpr const char* kQueryNote =
    " Refreshed every query interval by a background probe, not by scrapes.";

std::string Help(const char* text, const char* note = kNote) { return std::string(text) + note; }

}  // namespace

void WriteDatabaseFamilies(std::span<const std::shared_ptr<const DatabaseSnapshot>> databases,
                           MetricWriter& out) {
  auto up = out.Gauge("database_up",
                      Help("1 if the exporter holds a working session with the database, else 0."));
  for (const auto& d : databases) up.Add({{"database", d->database}}, d->up ? 1 : 0);

  auto durations =
      out.Histogram("database_query_duration_seconds",
                    Help("Duration of the configured probe queries that succeeded.", kQueryNote));
  for (const auto& d : databases) {
    for (const auto& q : d->queries) {
      if (q.timed) {
        durations.AddHistogram({{"database", d->database}, {"query_type", q.query_type}},
                               q.Histogram());
      }
    }
  }

  auto errors = out.Counter(
      "database_query_errors_total",
      "Probe runs that failed, by query_type (a probe query, or the probe's own stats and "
      "statements) and reason (connect, auth, timeout, query, connection_lost).");
  for (const auto& d : databases) {
    for (const auto& q : d->queries) {
      for (PgErrorReason r : kAllPgErrorReasons) {
        errors.Add({{"database", d->database},
                    {"query_type", q.query_type},
                    {"reason", PgErrorReasonName(r)}},
                   static_cast<double>(q.Errors(r)));
      }
    }
  }

  auto connections = out.Gauge(
      "database_connections",
      Help("Client connections to the database by pg_stat_activity state, the exporter's own "
           "not counted."));
  for (const auto& d : databases) {
    if (!d->stats) continue;
    for (ConnectionState s : kAllConnectionStates) {
      connections.Add({{"database", d->database}, {"state", ConnectionStateName(s)}},
                      d->stats->connections[static_cast<std::size_t>(s)]);
    }
  }

  auto hit =
      out.Counter("database_blocks_hit_total",
                  Help("pg_stat_database.blks_hit: block reads served from shared buffers."));
  auto read = out.Counter(
      "database_blocks_read_total",
      Help("pg_stat_database.blks_read: blocks read from the file system (or its cache)."));
  for (const auto& d : databases) {
    if (!d->stats) continue;
    if (d->stats->blocks_hit) hit.Add({{"database", d->database}}, *d->stats->blocks_hit);
  }
  for (const auto& d : databases) {
    if (!d->stats) continue;
    if (d->stats->blocks_read) read.Add({{"database", d->database}}, *d->stats->blocks_read);
  }

  auto lag = out.Gauge(
      "database_replication_lag_seconds",
      Help("On a primary the largest replay_lag of its standbys (pg_stat_replication), on a "
           "standby now() - pg_last_xact_replay_timestamp(); absent without replication."));
  for (const auto& d : databases) {
    if (d->stats && d->stats->replication_lag_seconds) {
      lag.Add({{"database", d->database}}, *d->stats->replication_lag_seconds);
    }
  }

  auto calls = out.Counter(
      "database_statements_calls_total",
      Help("pg_stat_statements calls of the database summed by configured query_type (other: "
           "no pattern matched). Falls when entries are evicted."));
  for (const auto& d : databases) {
    if (!d->statements) continue;
    for (const auto& s : *d->statements) {
      calls.Add({{"database", d->database}, {"query_type", s.query_type}}, s.calls);
    }
  }
  auto exec = out.Counter(
      "database_statements_exec_seconds_total",
      Help("pg_stat_statements total_exec_time of the database summed by configured query_type "
           "(other: no pattern matched). Falls when entries are evicted."));
  for (const auto& d : databases) {
    if (!d->statements) continue;
    for (const auto& s : *d->statements) {
      exec.Add({{"database", d->database}, {"query_type", s.query_type}}, s.exec_seconds);
    }
  }
}

DatabaseCollector::DatabaseCollector(std::vector<std::shared_ptr<const DatabaseProbe>> probes)
    : probes_(std::move(probes)) {}

void DatabaseCollector::SetProbes(std::vector<std::shared_ptr<const DatabaseProbe>> probes) {
  std::lock_guard lock(mu_);
  probes_ = std::move(probes);
}

std::vector<std::shared_ptr<const DatabaseSnapshot>> DatabaseCollector::Snapshots() const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<const DatabaseSnapshot>> out;
  out.reserve(probes_.size());
  for (const auto& p : probes_) out.push_back(p->Latest());
  return out;
}

Status DatabaseCollector::Collect(const ScrapeContext&, MetricWriter& out) {
  const auto snapshots = Snapshots();
  WriteDatabaseFamilies(snapshots, out);
  return Status::Ok();
}

void DatabaseCollector::AppendStatus(std::vector<StatusTable>& tables) const {
  const auto snapshots = Snapshots();
  if (snapshots.empty()) return;
  StatusTable table{
      .title = "Databases", .columns = {"database", "state", "updated", "last error"}, .rows = {}};
  for (const auto& d : snapshots) {
    table.rows.push_back(
        {d->database, d->up ? "up" : "down", FormatUtcSeconds(d->updated), d->last_error});
  }
  tables.push_back(std::move(table));
}

}  // namespace vms::pg
