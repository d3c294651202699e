#include "vms/procfs/diskstats.h"

#include <charconv>
#include <cstddef>

#include "vms/base/text.h"

namespace vms {
namespace {

constexpr std::size_t kMinFields = 14;

}  // namespace

Result<std::vector<DiskStats>> ParseDiskStats(std::string_view text) {
  std::vector<DiskStats> disks;
  std::size_t line_number = 0;
  std::string_view line;
  while (NextLine(text, line)) {
    ++line_number;
    const auto fields = SplitWhitespace(line);
    if (fields.empty()) continue;
    auto bad = [&](std::string_view why) {
      return Status::Error("diskstats line " + std::to_string(line_number) + ": " +
                           std::string(why) + ": \"" + std::string(line) + "\"");
    };
    if (fields.size() < kMinFields) {
      return bad("expected at least 14 fields, got " + std::to_string(fields.size()));
    }
    DiskStats d;
    d.device = std::string(fields[2]);
    std::uint64_t* const targets[] = {&d.reads_completed, &d.reads_merged,       &d.sectors_read,
                                      &d.read_time_ms,    &d.writes_completed,   &d.writes_merged,
                                      &d.sectors_written, &d.write_time_ms,      &d.in_progress,
                                      &d.io_time_ms,      &d.weighted_io_time_ms};
    for (std::size_t i = 0; i < std::size(targets); ++i) {
      if (!ParseNumber(fields[3 + i], *targets[i])) {
        return bad("field " + std::to_string(4 + i) + " is not a number");
      }
    }
    disks.push_back(std::move(d));
  }
  return disks;
}

}  // namespace vms
