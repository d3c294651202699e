#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "vms/host/process_matcher.h"
#include "vms/procfs/process_table.h"

namespace vms {

// Sorts each scrape's processes into groups, remembering what a process's
// (comm, exe, command line) matched so the groups' regexes run only for
// command lines not seen at the previous scrape. std::regex takes ~30 us to
// search a recorder's command line for a camera's pattern; with 64 cameras
// and 64 recorders, matching everything at every scrape would cost ~100 ms.
// Not thread-safe: the owner serialises calls.
class ProcessClassifier {
 public:
  ProcessClassifier() = default;
  explicit ProcessClassifier(std::vector<ProcessMatcher> matchers);

  std::size_t groups() const { return matchers_.size(); }
  // What ProcessTable::Read must read for the matchers to see their fields.
  ProcessFields needs() const { return needs_; }

  // result[i] lists the processes of `processes` that group i matches, in
  // order. Forgets command lines this call did not see.
  std::vector<std::vector<ProcessRecord*>> Classify(std::vector<ProcessRecord>& processes);

 private:
  std::vector<ProcessMatcher> matchers_;
  ProcessFields needs_;
  // By a hash of (comm, exe, cmdline): the indices of the groups matching.
  std::unordered_map<std::size_t, std::vector<std::uint32_t>> matches_;
};

}  // namespace vms
