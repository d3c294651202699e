#include "vms/metrics/dropped_series.h"

namespace vms {
namespace {

class DroppedSeriesCollector : public Collector {
 public:
  using Counts = std::vector<std::pair<std::string, std::uint64_t>>;
  explicit DroppedSeriesCollector(std::function<Counts()> read) : read_(std::move(read)) {}
  std::string_view name() const override { return "series_limits"; }
  Status Collect(const ScrapeContext&, MetricWriter& out) override {
    const Counts counts = read_();
    if (counts.empty()) return Status::Ok();
    auto family = out.Counter("vms_exporter_series_dropped_total",
                              "Samples not exported because a label cap was reached or a label "
                              "value was unusable, by reason (see the config's limits).");
    for (const auto& [reason, n] : counts) family.Add({{"reason", reason}}, static_cast<double>(n));
    return Status::Ok();
  }

 private:
  std::function<Counts()> read_;
};

}  // namespace

void DroppedSeries::Declare(std::string_view reason) { Add(reason, 0); }

void DroppedSeries::Add(std::string_view reason, std::uint64_t n) {
  std::lock_guard lock(state_->mu);
  auto it = state_->counts.find(reason);
  if (it == state_->counts.end()) it = state_->counts.emplace(std::string(reason), 0).first;
  it->second += n;
}

std::uint64_t DroppedSeries::Count(std::string_view reason) const {
  std::lock_guard lock(state_->mu);
  auto it = state_->counts.find(reason);
  return it == state_->counts.end() ? 0 : it->second;
}

std::unique_ptr<Collector> DroppedSeries::MakeCollector() const {
  return std::make_unique<DroppedSeriesCollector>([state = state_] {
    std::lock_guard lock(state->mu);
    return DroppedSeriesCollector::Counts(state->counts.begin(), state->counts.end());
  });
}

}  // namespace vms
