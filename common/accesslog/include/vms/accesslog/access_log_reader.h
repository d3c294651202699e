#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "vms/accesslog/access_log_source.h"
#include "vms/accesslog/access_record.h"
#include "vms/logtail/log_file_collector.h"
#include "vms/logtail/log_follower.h"
#include "vms/metrics/collector.h"

namespace vms {

// Where a role plugs in: it is handed each source's requests, parsed, in
// the order they were logged. Called on that source's own thread (never the
// event loop), so the sources of one reader may call it at the same time:
// state shared between sources needs a lock. `source_index` is the source's
// place in the list the reader was made with; the records are valid during
// the call only.
using AccessRecordConsumer =
    std::function<void(std::size_t source_index, const AccessLogSourceConfig& source,
                       std::span<const AccessRecord> records)>;

// For each configured access log, a LogFollower whose lines are parsed in
// the source's format and handed to the consumer in batches. Lines that do
// not parse are counted per source (vms_exporter_log_parse_errors_total)
// and the first of each source is logged with the reason; nothing else is
// logged per line.
class AccessLogReader {
 public:
  AccessLogReader(std::vector<AccessLogSourceConfig> sources, AccessRecordConsumer consumer);
  ~AccessLogReader();  // Stop()
  AccessLogReader(const AccessLogReader&) = delete;
  AccessLogReader& operator=(const AccessLogReader&) = delete;

  // Starts each source's thread, creating its checkpoint directory first
  // (a failure is logged: the source then runs without a checkpoint).
  void Start();
  // Stops them, each writing its checkpoint.
  void Stop();
  // Each source's LogFollower::Poll() in turn, on the calling thread: for
  // tests, instead of Start().
  void Poll();

  const std::vector<AccessLogSourceConfig>& sources() const { return configs_; }
  // Per source, under its name. Thread-safe, no I/O.
  std::vector<NamedLogStats> Stats() const;
  // The self metrics of these sources (vms_exporter_log_*); the reader must
  // outlive the collector.
  std::unique_ptr<Collector> MakeCollector(std::string collector_name = "access_log") const;

 private:
  struct Source;
  std::vector<AccessLogSourceConfig> configs_;
  std::vector<std::unique_ptr<Source>> sources_;
};

}  // namespace vms
