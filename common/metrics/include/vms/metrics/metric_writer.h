#pragma once

#include <prometheus/metric_family.h>

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vms/base/histogram_data.h"

namespace vms {

using Label = std::pair<std::string_view, std::string_view>;

class MetricWriter;

// Adds samples to one metric family. Obtained from MetricWriter; valid until
// the writer is destroyed.
class FamilyWriter {
 public:
  FamilyWriter& Add(std::initializer_list<Label> labels, double value);
  FamilyWriter& Add(std::span<const Label> labels, double value);
  FamilyWriter& AddHistogram(std::initializer_list<Label> labels, const HistogramData& data);
  FamilyWriter& AddHistogram(std::span<const Label> labels, const HistogramData& data);

 private:
  friend class MetricWriter;
  FamilyWriter(std::vector<prometheus::MetricFamily>* out, std::size_t index)
      : out_(out), index_(index) {}
  prometheus::ClientMetric& NewMetric(std::span<const Label> labels);

  std::vector<prometheus::MetricFamily>* out_;
  std::size_t index_;
};

// What a collector writes its families into:
//   out.Gauge("disk_mount_stale", "1 if ...").Add({{"mount_point", mp}}, 1);
class MetricWriter {
 public:
  explicit MetricWriter(std::vector<prometheus::MetricFamily>* out) : out_(out) {}

  FamilyWriter Gauge(std::string_view name, std::string_view help);
  FamilyWriter Counter(std::string_view name, std::string_view help);
  FamilyWriter Histogram(std::string_view name, std::string_view help);

 private:
  FamilyWriter Start(std::string_view name, std::string_view help, prometheus::MetricType type);
  std::vector<prometheus::MetricFamily>* out_;
};

}  // namespace vms
