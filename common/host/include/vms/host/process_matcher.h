#pragma once

#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "vms/host/host_config.h"
#include "vms/procfs/process_table.h"

namespace vms {

// The compiled patterns of one ProcessGroupConfig: a process matches when
// every pattern given is found (std::regex_search, ECMAScript) in its comm,
// exe link target and space-joined command line, and, when the group has
// literal command-line rules, one of them holds.
class ProcessMatcher {
 public:
  // Throws std::regex_error (the config reader has already validated them).
  explicit ProcessMatcher(const ProcessGroupConfig& config);

  bool Matches(const ProcessRecord& process) const;
  // The reads ProcessTable::Read must do for Matches to see its fields.
  ProcessFields needs() const {
    return {exe_.has_value(), cmdline_.has_value() || !words_.empty() || !substrings_.empty()};
  }

 private:
  std::optional<std::regex> comm_;
  std::optional<std::regex> exe_;
  std::optional<std::regex> cmdline_;
  std::vector<std::string> words_;
  std::vector<std::string> substrings_;
};

}  // namespace vms
