#pragma once

#include <mutex>
#include <string>
#include <vector>

#include <prometheus/metric_family.h>

namespace vms {

// The Prometheus text format (version 0.0.4) as prometheus-cpp's
// TextSerializer writes it, appended to a string.
//
// A family's text is its HELP and TYPE lines followed by each metric's
// sample lines in turn, with nothing carried from one metric to the next. So
// text can be assembled from parts rendered at different times:
//   FamilyHeaderText(f) + SampleText({f with m1}) + SampleText({f with m2})
// equals the text of f holding m1 and m2. Collectors use this to keep the
// text of what has not changed since the last scrape.

// Appends `families`, leaving out those without samples (they would print
// bare HELP and TYPE lines).
void AppendFamiliesText(std::vector<prometheus::MetricFamily> families, std::string& out);

// Renders families as AppendFamiliesText does, reusing the text of each
// family that is the same (name, help, type, labels and values, bit for bit)
// as the one at its place in the previous call. Most of a host's series hold
// still from one scrape to the next (mounts, idle interfaces, the disk latency
// histogram between its samples), and formatting numbers is most of what
// rendering costs. Thread-safe.
class FamilyTextMemo {
 public:
  void Append(std::vector<prometheus::MetricFamily> families, std::string& out);

 private:
  struct Entry {
    prometheus::MetricFamily family;
    std::string text;  // empty for a family without samples
  };
  std::mutex mu_;
  std::vector<Entry> last_;  // guarded by mu_
};

// The HELP and TYPE lines that start `family`'s text.
std::string FamilyHeaderText(const prometheus::MetricFamily& family);

// For each family, its sample lines without the HELP and TYPE lines (empty
// for a family without samples).
std::vector<std::string> SampleTexts(const std::vector<prometheus::MetricFamily>& families);

}  // namespace vms
