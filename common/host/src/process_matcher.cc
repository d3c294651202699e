#include "vms/host/process_matcher.h"

#include <string_view>

namespace vms {
namespace {

std::optional<std::regex> Compile(const std::string& pattern) {
  if (pattern.empty()) return std::nullopt;
  return std::regex(pattern);
}

// `word` is a whole space-separated argument of `cmdline`, or ends one right
// after '@' or '/'.
bool HasWord(std::string_view cmdline, std::string_view word) {
  if (word.empty()) return false;
  for (std::size_t at = cmdline.find(word); at != std::string_view::npos;
       at = cmdline.find(word, at + 1)) {
    const std::size_t end = at + word.size();
    const bool ends = end == cmdline.size() || cmdline[end] == ' ';
    const bool starts = at == 0 || cmdline[at - 1] == ' ' || cmdline[at - 1] == '@' ||
                        cmdline[at - 1] == '/';
    if (starts && ends) return true;
  }
  return false;
}

}  // namespace

ProcessMatcher::ProcessMatcher(const ProcessGroupConfig& config)
    : comm_(Compile(config.comm)),
      exe_(Compile(config.exe)),
      cmdline_(Compile(config.cmdline)),
      words_(config.cmdline_words),
      substrings_(config.cmdline_substrings) {}

bool ProcessMatcher::Matches(const ProcessRecord& p) const {
  // Cheapest first: comm is short, the command line can be long.
  if (comm_ && !std::regex_search(p.comm, *comm_)) return false;
  if (exe_ && !std::regex_search(p.exe, *exe_)) return false;
  if (cmdline_ && !std::regex_search(p.cmdline, *cmdline_)) return false;
  if (words_.empty() && substrings_.empty()) return true;
  for (const auto& w : words_) {
    if (HasWord(p.cmdline, w)) return true;
  }
  for (const auto& s : substrings_) {
    if (!s.empty() && p.cmdline.find(s) != std::string::npos) return true;
  }
  return false;
}

}  // namespace vms
