#include "vms/procfs/pid_stat.h"

#include <charconv>
#include <vector>

#include "vms/base/text.h"

namespace vms {
Result<PidStat> ParsePidStat(std::string_view text) {
  const auto open = text.find('(');
  const auto close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return Status::Error("malformed stat: no (comm)");
  }
  PidStat st;
  auto pid_text = text.substr(0, open);
  while (!pid_text.empty() && pid_text.back() == ' ') pid_text.remove_suffix(1);
  if (!ParseNumber(pid_text, st.pid)) return Status::Error("malformed stat: bad pid");
  st.comm = std::string(text.substr(open + 1, close - open - 1));

  // Fields after comm, numbered from 3 (state) as in proc(5).
  std::vector<std::string_view> fields;
  fields.reserve(50);
  std::string_view rest = text.substr(close + 1);
  std::size_t i = 0;
  while (i < rest.size()) {
    while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\n')) ++i;
    const std::size_t start = i;
    while (i < rest.size() && rest[i] != ' ' && rest[i] != '\n') ++i;
    if (i > start) fields.push_back(rest.substr(start, i - start));
  }
  auto field = [&](int number) { return fields[static_cast<std::size_t>(number - 3)]; };
  if (fields.size() < 22) return Status::Error("malformed stat: too few fields");
  if (field(3).size() != 1) return Status::Error("malformed stat: bad state");
  st.state = field(3)[0];
  if (!ParseNumber(field(4), st.ppid) || !ParseNumber(field(14), st.utime_ticks) ||
      !ParseNumber(field(15), st.stime_ticks) || !ParseNumber(field(20), st.num_threads) ||
      !ParseNumber(field(22), st.start_time_ticks) || !ParseNumber(field(23), st.vsize_bytes) ||
      !ParseNumber(field(24), st.rss_pages)) {
    return Status::Error("malformed stat: bad number");
  }
  return st;
}

Result<std::uint64_t> ParseBootTime(std::string_view proc_stat) {
  std::string_view line;
  while (NextLine(proc_stat, line)) {
    if (line.starts_with("btime ")) {
      std::uint64_t btime = 0;
      if (ParseNumber(line.substr(6), btime)) return btime;
      return Status::Error("malformed btime line in /proc/stat");
    }
  }
  return Status::Error("no btime line in /proc/stat");
}

}  // namespace vms
