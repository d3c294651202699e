#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
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
  // What a process is matched on. The cache compares these, not only their
  // hash: two command lines with one hash must not share a verdict.
  struct Key {
    std::string comm;
    std::string exe;
    std::string cmdline;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const;
  };

  std::vector<ProcessMatcher> matchers_;
  ProcessFields needs_;
  // The indices of the groups each (comm, exe, cmdline) matches.
  std::unordered_map<Key, std::vector<std::uint32_t>, KeyHash> matches_;
};

}  // namespace vms
