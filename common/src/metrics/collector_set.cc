#include "vms/metrics/collector_set.h"

#include <chrono>
#include <exception>
#include <sstream>

#include <prometheus/text_serializer.h>
#include <spdlog/spdlog.h>

namespace vms {

void CollectorSet::Add(std::unique_ptr<Collector> collector) {
  collectors_.push_back(std::move(collector));
}

std::vector<prometheus::MetricFamily> CollectorSet::Collect(const ScrapeContext& ctx) const {
  std::vector<prometheus::MetricFamily> families;
  struct Outcome {
    std::string_view name;
    double seconds;
    bool ok;
  };
  std::vector<Outcome> outcomes;
  outcomes.reserve(collectors_.size());

  for (const auto& collector : collectors_) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<prometheus::MetricFamily> own;
    MetricWriter writer(&own);
    vms::Status status;
    try {
      status = collector->Collect(ctx, writer);
    } catch (const std::exception& e) {
      status = Status::Error(e.what());
    } catch (...) {
      status = Status::Error("unknown exception");
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (status.ok()) {
      for (auto& family : own) {
        // A family without samples prints bare HELP/TYPE lines; leave it out.
        if (!family.metric.empty()) families.push_back(std::move(family));
      }
    } else {
      // Debug, not warn: a broken collector would otherwise log on every scrape.
      spdlog::debug("collector {} failed: {}", collector->name(), status.message());
    }
    outcomes.push_back({collector->name(), seconds, status.ok()});
  }

  MetricWriter writer(&families);
  auto duration = writer.Gauge("vms_exporter_collector_duration_seconds",
                               "How long each collector took in the last scrape.");
  for (const auto& o : outcomes) duration.Add({{"collector", o.name}}, o.seconds);
  auto success = writer.Gauge("vms_exporter_collector_success",
                              "1 if the collector succeeded in the last scrape, else 0.");
  for (const auto& o : outcomes) success.Add({{"collector", o.name}}, o.ok ? 1 : 0);
  return families;
}

std::string CollectorSet::Scrape(const ScrapeContext& ctx) const {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, Collect(ctx));
  return std::move(out).str();
}

std::vector<StatusTable> CollectorSet::Status() const {
  std::vector<StatusTable> tables;
  for (const auto& collector : collectors_) collector->AppendStatus(tables);
  return tables;
}

std::vector<std::string> CollectorSet::Names() const {
  std::vector<std::string> names;
  for (const auto& c : collectors_) names.emplace_back(c->name());
  return names;
}

}  // namespace vms
