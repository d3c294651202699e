#include "vms/procfs/process_table.h"

#include <dirent.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>

#include "vms/base/file.h"
#include "vms/procfs/pid_stat.h"

namespace vms {
namespace {

struct DirCloser {
  void operator()(DIR* d) const { ::closedir(d); }
};
using DirPtr = std::unique_ptr<DIR, DirCloser>;

bool IsPid(const char* name) {
  if (*name == '\0') return false;
  for (const char* c = name; *c != '\0'; ++c) {
    if (*c < '0' || *c > '9') return false;
  }
  return true;
}

// The exe link target. A binary replaced by a package upgrade while the
// process runs reads "/usr/bin/ffmpeg (deleted)"; the suffix is dropped so
// an `exe` pattern still matches until the service is restarted.
std::string ReadExe(const std::string& path) {
  char buf[4096];
  const ssize_t n = ::readlink(path.c_str(), buf, sizeof buf);
  if (n <= 0) return {};
  std::string_view target(buf, static_cast<std::size_t>(n));
  constexpr std::string_view kDeleted = " (deleted)";
  if (target.ends_with(kDeleted)) target.remove_suffix(kDeleted.size());
  return std::string(target);
}

std::optional<std::uint64_t> CountEntries(const std::string& dir_path) {
  DirPtr dir(::opendir(dir_path.c_str()));
  if (!dir) return std::nullopt;
  std::uint64_t n = 0;
  for (;;) {
    errno = 0;
    const dirent* e = ::readdir(dir.get());
    if (e == nullptr) break;
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) ++n;
  }
  // The process exited while its fd/ was listed: the count is meaningless.
  if (errno != 0) return std::nullopt;
  return n;
}

}  // namespace

std::string JoinCmdline(std::string_view raw) {
  while (!raw.empty() && raw.back() == '\0') raw.remove_suffix(1);
  std::string out(raw);
  for (char& c : out) {
    if (c == '\0') c = ' ';
  }
  return out;
}

std::optional<std::uint64_t> ParseStatusRssBytes(std::string_view status) {
  constexpr std::string_view kKey = "VmRSS:";
  std::size_t pos = 0;
  while (pos < status.size()) {
    auto end = status.find('\n', pos);
    if (end == std::string_view::npos) end = status.size();
    std::string_view line = status.substr(pos, end - pos);
    pos = end + 1;
    if (!line.starts_with(kKey)) continue;
    line.remove_prefix(kKey.size());
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    std::uint64_t kib = 0;
    const auto [ptr, ec] = std::from_chars(line.data(), line.data() + line.size(), kib);
    if (ec != std::errc() || std::string_view(ptr, line.data() + line.size()) != " kB") {
      return std::nullopt;
    }
    return kib * 1024;
  }
  return std::nullopt;
}

Result<ProcessTable> ProcessTable::Read(const std::string& procfs_root, ProcessFields fields) {
  const std::string stat_path = JoinRoot(procfs_root, "/stat");
  auto proc_stat = ReadFile(stat_path);
  if (!proc_stat) return proc_stat.status();
  auto boot_time = ParseBootTime(*proc_stat);
  if (!boot_time) return Status::Error(stat_path + ": " + boot_time.error());
  const long ticks = ::sysconf(_SC_CLK_TCK);
  if (ticks <= 0) return Status::Error("sysconf(_SC_CLK_TCK) failed");
  const double hz = static_cast<double>(ticks);

  const std::string root = JoinRoot(procfs_root, "/");
  DirPtr dir(::opendir(root.c_str()));
  if (!dir) return Status::Error("opendir " + root + ": " + std::strerror(errno));

  ProcessTable table(procfs_root);
  std::string prefix = root;
  if (prefix.back() != '/') prefix.push_back('/');
  for (;;) {
    errno = 0;
    const dirent* e = ::readdir(dir.get());
    if (e == nullptr) {
      if (errno != 0) return Status::Error("readdir " + root + ": " + std::strerror(errno));
      break;
    }
    if (!IsPid(e->d_name)) continue;
    const std::string pid_dir = prefix + e->d_name;
    // Gone since readdir, or a stat this parser does not know: either way
    // there is no process to report.
    auto text = ReadFile(pid_dir + "/stat");
    if (!text) continue;
    auto stat = ParsePidStat(*text);
    if (!stat) continue;

    ProcessRecord& p = table.processes_.emplace_back();
    p.pid = stat->pid;
    p.ppid = stat->ppid;
    p.start_time_ticks = stat->start_time_ticks;
    p.state = stat->state;
    p.comm = std::move(stat->comm);
    p.cpu_seconds = static_cast<double>(stat->utime_ticks + stat->stime_ticks) / hz;
    p.start_time_seconds =
        static_cast<double>(*boot_time) + static_cast<double>(stat->start_time_ticks) / hz;
    p.threads = stat->num_threads;
    if (fields.exe) p.exe = ReadExe(pid_dir + "/exe");
    if (fields.cmdline) {
      if (auto raw = ReadFile(pid_dir + "/cmdline")) p.cmdline = JoinCmdline(*raw);
    }
  }
  return table;
}

void ProcessTable::ReadDetails(ProcessRecord& process) const {
  std::string pid_dir = JoinRoot(procfs_root_, "/");
  if (pid_dir.back() != '/') pid_dir.push_back('/');
  pid_dir += std::to_string(process.pid);
  process.resident_bytes = 0;
  if (auto status = ReadFile(pid_dir + "/status")) {
    process.resident_bytes = ParseStatusRssBytes(*status).value_or(0);
  }
  process.open_fds = CountEntries(pid_dir + "/fd");
}

}  // namespace vms
