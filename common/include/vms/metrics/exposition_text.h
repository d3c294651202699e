#pragma once

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

// The HELP and TYPE lines that start `family`'s text.
std::string FamilyHeaderText(const prometheus::MetricFamily& family);

// For each family, its sample lines without the HELP and TYPE lines (empty
// for a family without samples). Families are moved from and restored.
std::vector<std::string> SampleTexts(std::vector<prometheus::MetricFamily>& families);

}  // namespace vms
