#include "vms/host/process_classifier.h"

#include <functional>
#include <string_view>

namespace vms {

std::size_t ProcessClassifier::KeyHash::operator()(const Key& k) const {
  const std::hash<std::string_view> hash;
  std::size_t h = hash(k.comm);
  for (std::string_view field : {std::string_view(k.exe), std::string_view(k.cmdline)}) {
    h ^= hash(field) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  }
  return h;
}

ProcessClassifier::ProcessClassifier(std::vector<ProcessMatcher> matchers)
    : matchers_(std::move(matchers)) {
  for (const auto& m : matchers_) {
    needs_.exe = needs_.exe || m.needs().exe;
    needs_.cmdline = needs_.cmdline || m.needs().cmdline;
  }
}

std::vector<std::vector<ProcessRecord*>> ProcessClassifier::Classify(
    std::vector<ProcessRecord>& processes) {
  std::vector<std::vector<ProcessRecord*>> groups(matchers_.size());
  if (matchers_.empty()) return groups;
  std::unordered_map<Key, std::vector<std::uint32_t>, KeyHash> seen;
  seen.reserve(matches_.size() + 16);
  for (ProcessRecord& p : processes) {
    Key key{p.comm, p.exe, p.cmdline};
    auto it = seen.find(key);
    if (it == seen.end()) {
      if (auto old = matches_.find(key); old != matches_.end()) {
        it = seen.emplace(std::move(key), std::move(old->second)).first;
      } else {
        std::vector<std::uint32_t> matched;
        for (std::uint32_t i = 0; i < matchers_.size(); ++i) {
          if (matchers_[i].Matches(p)) matched.push_back(i);
        }
        it = seen.emplace(std::move(key), std::move(matched)).first;
      }
    }
    for (std::uint32_t i : it->second) groups[i].push_back(&p);
  }
  matches_ = std::move(seen);
  return groups;
}

}  // namespace vms
