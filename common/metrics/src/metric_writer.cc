#include "vms/metrics/metric_writer.h"

#include <limits>

namespace vms {

prometheus::ClientMetric& FamilyWriter::NewMetric(std::span<const Label> labels) {
  auto& metric = (*out_)[index_].metric.emplace_back();
  metric.label.reserve(labels.size());
  for (const auto& [name, value] : labels) {
    metric.label.push_back({std::string(name), std::string(value)});
  }
  return metric;
}

FamilyWriter& FamilyWriter::Add(std::initializer_list<Label> labels, double value) {
  return Add(std::span<const Label>(labels.begin(), labels.size()), value);
}

FamilyWriter& FamilyWriter::Add(std::span<const Label> labels, double value) {
  auto& metric = NewMetric(labels);
  switch ((*out_)[index_].type) {
    case prometheus::MetricType::Counter:
      metric.counter.value = value;
      break;
    case prometheus::MetricType::Gauge:
      metric.gauge.value = value;
      break;
    default:
      metric.untyped.value = value;
      break;
  }
  return *this;
}

FamilyWriter& FamilyWriter::AddHistogram(std::initializer_list<Label> labels,
                                         const HistogramData& data) {
  return AddHistogram(std::span<const Label>(labels.begin(), labels.size()), data);
}

FamilyWriter& FamilyWriter::AddHistogram(std::span<const Label> labels,
                                         const HistogramData& data) {
  auto& h = NewMetric(labels).histogram;
  h.sample_count = data.count;
  h.sample_sum = data.sum;
  h.bucket.reserve(data.bounds.size() + 1);
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < data.bounds.size(); ++i) {
    cumulative += i < data.bucket_counts.size() ? data.bucket_counts[i] : 0;
    h.bucket.push_back({cumulative, data.bounds[i]});
  }
  h.bucket.push_back({data.count, std::numeric_limits<double>::infinity()});
  return *this;
}

FamilyWriter MetricWriter::Start(std::string_view name, std::string_view help,
                                 prometheus::MetricType type) {
  auto& family = out_->emplace_back();
  family.name = name;
  family.help = help;
  family.type = type;
  return FamilyWriter(out_, out_->size() - 1);
}

FamilyWriter MetricWriter::Gauge(std::string_view name, std::string_view help) {
  return Start(name, help, prometheus::MetricType::Gauge);
}
FamilyWriter MetricWriter::Counter(std::string_view name, std::string_view help) {
  return Start(name, help, prometheus::MetricType::Counter);
}
FamilyWriter MetricWriter::Histogram(std::string_view name, std::string_view help) {
  return Start(name, help, prometheus::MetricType::Histogram);
}

}  // namespace vms
