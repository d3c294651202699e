#include "vms/metrics/exposition_text.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <ostream>
#include <stdexcept>
#include <streambuf>

#include <prometheus/text_serializer.h>

namespace vms {
namespace {

// Lets TextSerializer write straight into the string that is sent, instead of
// into an ostringstream whose text is then copied out.
class AppendToString : public std::streambuf {
 public:
  explicit AppendToString(std::string& s) : s_(s) {}

 protected:
  std::streamsize xsputn(const char* p, std::streamsize n) override {
    s_.append(p, static_cast<std::size_t>(n));
    return n;
  }
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      s_.push_back(traits_type::to_char_type(c));
    }
    return traits_type::not_eof(c);
  }

 private:
  std::string& s_;
};

void Render(const std::vector<prometheus::MetricFamily>& families, std::string& out) {
  AppendToString buffer(out);
  std::ostream stream(&buffer);
  prometheus::TextSerializer().Serialize(stream, families);
}

bool Same(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

// Everything TextSerializer writes of a metric. Values compare bit for bit:
// 0.0 and -0.0 print differently, and NaN equals nothing.
bool Same(const prometheus::ClientMetric& a, const prometheus::ClientMetric& b) {
  if (a.label != b.label || a.timestamp_ms != b.timestamp_ms ||
      !Same(a.counter.value, b.counter.value) || !Same(a.gauge.value, b.gauge.value) ||
      !Same(a.untyped.value, b.untyped.value) ||
      a.summary.sample_count != b.summary.sample_count ||
      !Same(a.summary.sample_sum, b.summary.sample_sum) ||
      a.summary.quantile.size() != b.summary.quantile.size() ||
      a.histogram.sample_count != b.histogram.sample_count ||
      !Same(a.histogram.sample_sum, b.histogram.sample_sum) ||
      a.histogram.bucket.size() != b.histogram.bucket.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.summary.quantile.size(); ++i) {
    const auto& x = a.summary.quantile[i];
    const auto& y = b.summary.quantile[i];
    if (!Same(x.quantile, y.quantile) || !Same(x.value, y.value)) return false;
  }
  for (std::size_t i = 0; i < a.histogram.bucket.size(); ++i) {
    const auto& x = a.histogram.bucket[i];
    const auto& y = b.histogram.bucket[i];
    if (x.cumulative_count != y.cumulative_count || !Same(x.upper_bound, y.upper_bound)) {
      return false;
    }
  }
  return true;
}

bool Same(const prometheus::MetricFamily& a, const prometheus::MetricFamily& b) {
  return a.name == b.name && a.help == b.help && a.type == b.type &&
         std::equal(a.metric.begin(), a.metric.end(), b.metric.begin(), b.metric.end(),
                    [](const auto& x, const auto& y) { return Same(x, y); });
}

}  // namespace

void FamilyTextMemo::Append(std::vector<prometheus::MetricFamily> families, std::string& out) {
  std::lock_guard lock(mu_);
  std::vector<Entry> next;
  next.reserve(families.size());
  std::vector<prometheus::MetricFamily> one(1);
  for (std::size_t i = 0; i < families.size(); ++i) {
    if (i < last_.size() && Same(last_[i].family, families[i])) {
      next.push_back(std::move(last_[i]));
    } else {
      Entry& e = next.emplace_back();
      one[0] = std::move(families[i]);
      if (!one[0].metric.empty()) Render(one, e.text);
      e.family = std::move(one[0]);
    }
    out += next.back().text;
  }
  last_ = std::move(next);
}

void AppendFamiliesText(std::vector<prometheus::MetricFamily> families, std::string& out) {
  std::erase_if(families, [](const prometheus::MetricFamily& f) { return f.metric.empty(); });
  Render(families, out);
}

std::string FamilyHeaderText(const prometheus::MetricFamily& family) {
  std::string text;
  Render({{family.name, family.help, family.type, {}}}, text);
  return text;
}

std::vector<std::string> SampleTexts(std::vector<prometheus::MetricFamily>& families) {
  std::vector<std::string> texts(families.size());
  std::string scratch;
  AppendToString buffer(scratch);
  std::ostream stream(&buffer);
  const prometheus::TextSerializer serializer;
  std::vector<prometheus::MetricFamily> one(1);
  for (std::size_t i = 0; i < families.size(); ++i) {
    if (families[i].metric.empty()) continue;
    one[0] = std::move(families[i]);
    std::vector<prometheus::ClientMetric> metrics = std::move(one[0].metric);
    one[0].metric.clear();
    scratch.clear();
    serializer.Serialize(stream, one);  // the header alone
    const std::size_t header = scratch.size();
    one[0].metric = std::move(metrics);
    serializer.Serialize(stream, one);  // header and samples
    if (scratch.compare(header, header, scratch, 0, header) != 0) {
      throw std::logic_error("TextSerializer did not start " + one[0].name +
                             " with its HELP and TYPE lines");
    }
    texts[i] = scratch.substr(2 * header);
    families[i] = std::move(one[0]);
  }
  return texts;
}

}  // namespace vms
