#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "vms/accesslog/access_log_reader.h"

namespace vms {

// The access logs a role follows: one reader for the configured list,
// replaced as a whole when a reload changes the list (its sources write
// their checkpoints, so the new reader resumes where the old one stopped)
// and kept when the list is unchanged. A role supplies only its items (each
// an AccessLogSourceConfig `source` and its own keys, comparable with ==)
// and how a list becomes the consumer of its requests.
template <typename Item>
class AccessLogSet {
 public:
  // Called under the set's lock at each change, with the new list (perhaps
  // empty: then no reader runs): compiles the items' rules, tells the role
  // what the list now feeds, and returns what receives the requests. The
  // consumer runs on the sources' threads, so it owns (shares) what it uses.
  using MakeConsumer = std::function<AccessRecordConsumer(const std::vector<Item>&)>;

  explicit AccessLogSet(MakeConsumer make) : make_(std::move(make)) {}
  ~AccessLogSet() {
    std::lock_guard lock(mu_);
    reader_.reset();  // stops the threads before the consumer goes
  }
  AccessLogSet(const AccessLogSet&) = delete;
  AccessLogSet& operator=(const AccessLogSet&) = delete;

  void Apply(const std::vector<Item>& items) {
    std::lock_guard lock(mu_);
    if (applied_ && items == items_) return;
    reader_.reset();
    applied_ = true;
    items_ = items;
    AccessRecordConsumer consumer = make_(items_);
    if (items_.empty()) return;
    std::vector<AccessLogSourceConfig> sources;
    sources.reserve(items_.size());
    for (const Item& item : items_) sources.push_back(item.source);
    reader_ = std::make_unique<AccessLogReader>(std::move(sources), std::move(consumer));
    reader_->Start();
  }

  // For vms_exporter_log_*: the current reader's sources. Thread-safe.
  std::vector<NamedLogStats> Stats() const {
    std::lock_guard lock(mu_);
    return reader_ ? reader_->Stats() : std::vector<NamedLogStats>{};
  }

 private:
  const MakeConsumer make_;
  mutable std::mutex mu_;
  bool applied_ = false;                     // guarded by mu_
  std::vector<Item> items_;                  // guarded by mu_
  std::unique_ptr<AccessLogReader> reader_;  // guarded by mu_
};

}  // namespace vms
