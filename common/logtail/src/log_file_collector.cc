#include "vms/logtail/log_file_collector.h"

namespace vms {

LogFileCollector::LogFileCollector(std::string name, StatsFn stats)
    : name_(std::move(name)), stats_(std::move(stats)) {}

Status LogFileCollector::Collect(const ScrapeContext& /*ctx*/, MetricWriter& out) {
  const std::vector<NamedLogStats> logs = stats_();
  const auto each = [&](FamilyWriter family, auto value) {
    for (const auto& log : logs) family.Add({{"file", log.file}}, value(log.stats));
  };
  each(out.Gauge("vms_exporter_log_file_present",
                 "1 while the log file exists and is open for reading; a missing file is "
                 "picked up when it appears."),
       [](const LogFollowerStats& s) { return s.file_present ? 1.0 : 0.0; });
  each(out.Counter("vms_exporter_log_lines_total",
                   "Complete lines read from the log and handed to its parser."),
       [](const LogFollowerStats& s) { return static_cast<double>(s.lines); });
  each(out.Counter("vms_exporter_log_read_bytes_total",
                   "Bytes read from the log, skipped lines included."),
       [](const LogFollowerStats& s) { return static_cast<double>(s.bytes); });
  each(out.Counter("vms_exporter_log_parse_errors_total",
                   "Lines of the log its parser could not read (wrong format, garbage)."),
       [](const LogFollowerStats& s) { return static_cast<double>(s.parse_errors); });
  FamilyWriter dropped = out.Counter(
      "vms_exporter_log_lines_dropped_total",
      "Lines not handed to the parser: too_long (over max_line_bytes), incomplete (a last "
      "line without its newline in a file rotated away or truncated).");
  for (const auto& log : logs) {
    dropped.Add({{"file", log.file}, {"reason", "too_long"}},
                static_cast<double>(log.stats.lines_too_long));
    dropped.Add({{"file", log.file}, {"reason", "incomplete"}},
                static_cast<double>(log.stats.lines_incomplete));
  }
  each(out.Gauge("vms_exporter_log_lag_bytes",
                 "Bytes written to the log (and to a file rotated away from it) not yet read, as "
                 "of the follower's last look."),
       [](const LogFollowerStats& s) { return static_cast<double>(s.lag_bytes); });
  each(out.Gauge("vms_exporter_log_lag_seconds",
                 "0 while the follower keeps up; else seconds since it last had read the log to "
                 "its end (the oldest unread line is at most this old)."),
       [](const LogFollowerStats& s) { return s.lag_seconds; });
  FamilyWriter rotations =
      out.Counter("vms_exporter_log_rotations_total",
                  "Rotations seen: rename (a new file at the path) or truncate (copytruncate).");
  for (const auto& log : logs) {
    rotations.Add({{"file", log.file}, {"kind", "rename"}},
                  static_cast<double>(log.stats.rotations_rename));
    rotations.Add({{"file", log.file}, {"kind", "truncate"}},
                  static_cast<double>(log.stats.rotations_truncate));
  }
  return Status::Ok();
}

}  // namespace vms
