#pragma once

#include <prometheus/metric_family.h>

#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

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

// Appends texts in the format above that may hold families of the same name
// (one metric fed by several sources, e.g. stream_viewers from an access log
// and from MediaMTX, each with its own `source` label), each family once: its
// HELP and TYPE lines from the first text that has it, then its sample lines
// from every text in turn. The text format allows one HELP and TYPE per
// family, and a family's samples together.
void AppendMergedFamiliesText(std::span<const std::string_view> texts, std::string& out);

// The HELP and TYPE lines that start `family`'s text.
std::string FamilyHeaderText(const prometheus::MetricFamily& family);

// Each family's sample lines without its HELP and TYPE lines (empty for a
// family without samples), kept in one buffer: a collector that keeps these
// for many objects (a camera each) then holds one allocation per object, not
// one per family, and reads them back from one place.
class SampleTexts {
 public:
  SampleTexts() = default;
  explicit SampleTexts(const std::vector<prometheus::MetricFamily>& families);

  std::size_t size() const { return ends_.size(); }
  std::string_view operator[](std::size_t family) const {
    const std::size_t begin = family == 0 ? 0 : ends_[family - 1];
    return std::string_view(text_).substr(begin, ends_[family] - begin);
  }

 private:
  std::string text_;               // every family's samples, in order
  std::vector<std::size_t> ends_;  // per family, where its samples end in text_
};

}  // namespace vms
