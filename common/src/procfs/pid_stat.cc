#include "vms/procfs/pid_stat.h"

#include <charconv>
#include <vector>

namespace vms {
namespace {

template <typename T>
bool ToNumber(std::string_view s, T& out) {
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

Result<PidStat> ParsePidStat(std::string_view text) {
  const auto open = text.find('(');
  const auto close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return Status::Error("malformed stat: no (comm)");
  }
  PidStat st;
  auto pid_text = text.substr(0, open);
  while (!pid_text.empty() && pid_text.back() == ' ') pid_text.remove_suffix(1);
  if (!ToNumber(pid_text, st.pid)) return Status::Error("malformed stat: bad pid");
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
  if (!ToNumber(field(4), st.ppid) || !ToNumber(field(14), st.utime_ticks) ||
      !ToNumber(field(15), st.stime_ticks) || !ToNumber(field(20), st.num_threads) ||
      !ToNumber(field(22), st.start_time_ticks) || !ToNumber(field(23), st.vsize_bytes) ||
      !ToNumber(field(24), st.rss_pages)) {
    return Status::Error("malformed stat: bad number");
  }
  return st;
}

Result<std::uint64_t> ParseBootTime(std::string_view proc_stat) {
  std::size_t pos = 0;
  while (pos < proc_stat.size()) {
    auto end = proc_stat.find('\n', pos);
    if (end == std::string_view::npos) end = proc_stat.size();
    const auto line = proc_stat.substr(pos, end - pos);
    if (line.starts_with("btime ")) {
      std::uint64_t btime = 0;
      if (ToNumber(line.substr(6), btime)) return btime;
      return Status::Error("malformed btime line in /proc/stat");
    }
    pos = end + 1;
  }
  return Status::Error("no btime line in /proc/stat");
}

}  // namespace vms
