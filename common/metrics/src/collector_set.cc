#include "vms/metrics/collector_set.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>

#include "vms/metrics/exposition_text.h"

namespace vms {

void CollectorSet::Add(std::unique_ptr<Collector> collector) {
  collectors_.push_back(std::move(collector));
}

std::string CollectorSet::Scrape(const ScrapeContext& ctx) const {
  std::string body;
  const std::size_t last = last_size_.load(std::memory_order_relaxed);
  body.reserve(last + last / 16);
  struct Outcome {
    std::string_view name;
    double seconds;
    bool ok;
  };
  std::vector<Outcome> outcomes;
  outcomes.reserve(collectors_.size());

  // The texts of collectors that share families, merged after the others.
  std::vector<std::string> shared;
  for (const auto& collector : collectors_) {
    std::string& text = collector->shares_families() ? shared.emplace_back() : body;
    const std::size_t mark = text.size();
    const auto start = std::chrono::steady_clock::now();
    vms::Status status;
    try {
      status = collector->CollectText(ctx, text);
    } catch (const std::exception& e) {
      status = Status::Error(e.what());
    } catch (...) {
      status = Status::Error("unknown exception");
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!status.ok()) {
      text.resize(mark);  // a failing collector loses all of its families
      // Debug, not warn: a broken collector would otherwise log on every scrape.
      spdlog::debug("collector {} failed: {}", collector->name(), status.message());
    }
    outcomes.push_back({collector->name(), seconds, status.ok()});
  }
  if (!shared.empty()) {
    const std::vector<std::string_view> views(shared.begin(), shared.end());
    AppendMergedFamiliesText(views, body);
  }

  std::vector<prometheus::MetricFamily> families;
  MetricWriter writer(&families);
  auto duration = writer.Gauge("vms_exporter_collector_duration_seconds",
                               "How long each collector took in the last scrape.");
  for (const auto& o : outcomes) duration.Add({{"collector", o.name}}, o.seconds);
  auto success = writer.Gauge("vms_exporter_collector_success",
                              "1 if the collector succeeded in the last scrape, else 0.");
  for (const auto& o : outcomes) success.Add({{"collector", o.name}}, o.ok ? 1 : 0);
  AppendFamiliesText(std::move(families), body);
  last_size_.store(body.size(), std::memory_order_relaxed);
  return body;
}

std::vector<StatusTable> CollectorSet::Status() const {
  std::vector<StatusTable> tables;
  for (const auto& collector : collectors_) collector->AppendStatus(tables);
  return tables;
}

}  // namespace vms
