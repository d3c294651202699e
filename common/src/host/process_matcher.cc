#include "vms/host/process_matcher.h"

namespace vms {
namespace {

std::optional<std::regex> Compile(const std::string& pattern) {
  if (pattern.empty()) return std::nullopt;
  return std::regex(pattern);
}

}  // namespace

ProcessMatcher::ProcessMatcher(const ProcessGroupConfig& config)
    : comm_(Compile(config.comm)), exe_(Compile(config.exe)), cmdline_(Compile(config.cmdline)) {}

bool ProcessMatcher::Matches(const ProcessRecord& p) const {
  // Cheapest first: comm is short, the command line can be long.
  if (comm_ && !std::regex_search(p.comm, *comm_)) return false;
  if (exe_ && !std::regex_search(p.exe, *exe_)) return false;
  if (cmdline_ && !std::regex_search(p.cmdline, *cmdline_)) return false;
  return true;
}

}  // namespace vms
