#include "vms/metrics/exposition_text.h"

#include <prometheus/text_serializer.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <ostream>
#include <stdexcept>
#include <streambuf>
#include <string>

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

// Where each family's text lies in one rendering of several.
struct Cut {
  std::size_t begin;    // its HELP line, or TYPE line without help
  std::size_t samples;  // its first sample line
  std::size_t end;
};

// Renders `families` in one TextSerializer pass and finds each family's
// text in it. Each pass costs a locale switch and back, more than a
// family's few samples, so a family is not rendered on its own. A family's
// text is a HELP line when it has help, a TYPE line, then its sample lines;
// no sample line starts with '#' (it starts with the metric name, and label
// values have their newlines escaped), so the samples end where the next
// line starting with '#' begins. HELP text is written as is: a family
// whose help holds a newline is not cut but rendered on its own.
std::vector<Cut> RenderCut(const std::vector<prometheus::MetricFamily>& families,
                           std::string& text) {
  const bool cuttable = std::none_of(
      families.begin(), families.end(),
      [](const prometheus::MetricFamily& f) { return f.help.find('\n') != std::string::npos; });
  std::vector<Cut> cuts;
  cuts.reserve(families.size());
  if (!cuttable) {
    std::vector<prometheus::MetricFamily> one(1);
    for (const auto& family : families) {
      const std::size_t begin = text.size();
      one[0] = {family.name, family.help, family.type, {}};
      Render(one, text);
      const std::size_t samples = text.size();
      text.resize(begin);
      one[0].metric = family.metric;
      Render(one, text);
      cuts.push_back({begin, samples, text.size()});
    }
    return cuts;
  }
  Render(families, text);
  std::size_t at = 0;
  auto next_line = [&text](std::size_t from) {
    const std::size_t eol = text.find('\n', from);
    return eol == std::string::npos ? text.size() : eol + 1;
  };
  for (const auto& family : families) {
    Cut cut{at, at, at};
    for (int header_lines = family.help.empty() ? 1 : 2; header_lines > 0; --header_lines) {
      if (cut.samples == text.size() || text[cut.samples] != '#') {
        throw std::logic_error("no HELP or TYPE line where " + family.name + " starts");
      }
      cut.samples = next_line(cut.samples);
    }
    cut.end = cut.samples;
    while (cut.end < text.size() && text[cut.end] != '#') cut.end = next_line(cut.end);
    if (family.metric.empty() != (cut.end == cut.samples)) {
      throw std::logic_error("samples of " + family.name + " not where they belong");
    }
    cuts.push_back(cut);
    at = cut.end;
  }
  if (at != text.size()) throw std::logic_error("text left after the last family");
  return cuts;
}

bool Same(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

// Everything TextSerializer writes of a metric. Values compare bit for bit:
// 0.0 and -0.0 print differently, and NaN equals nothing.
bool Same(const prometheus::ClientMetric& a, const prometheus::ClientMetric& b) {
  if (a.label != b.label || a.timestamp_ms != b.timestamp_ms ||
      !Same(a.counter.value, b.counter.value) || !Same(a.gauge.value, b.gauge.value) ||
      !Same(a.untyped.value, b.untyped.value) || a.summary.sample_count != b.summary.sample_count ||
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
  std::vector<Entry> next(families.size());
  std::vector<std::size_t> changed;  // indexes into families, rendered together below
  std::vector<prometheus::MetricFamily> to_render;
  for (std::size_t i = 0; i < families.size(); ++i) {
    if (i < last_.size() && Same(last_[i].family, families[i])) {
      next[i] = std::move(last_[i]);
    } else if (!families[i].metric.empty()) {
      changed.push_back(i);
      to_render.push_back(std::move(families[i]));
    } else {
      next[i].family = std::move(families[i]);
    }
  }
  if (!to_render.empty()) {
    std::string text;
    const auto cuts = RenderCut(to_render, text);
    for (std::size_t k = 0; k < changed.size(); ++k) {
      Entry& e = next[changed[k]];
      e.text = text.substr(cuts[k].begin, cuts[k].end - cuts[k].begin);
      e.family = std::move(to_render[k]);
    }
  }
  for (const Entry& e : next) out += e.text;
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

SampleTexts::SampleTexts(const std::vector<prometheus::MetricFamily>& families) {
  std::string text;
  const auto cuts = RenderCut(families, text);
  std::size_t size = 0;
  for (const Cut& cut : cuts) size += cut.end - cut.samples;
  text_.reserve(size);
  ends_.reserve(cuts.size());
  for (const Cut& cut : cuts) {
    text_.append(text, cut.samples, cut.end - cut.samples);
    ends_.push_back(text_.size());
  }
}

namespace {

// The family a "# HELP name ..." or "# TYPE name ..." line names.
std::string_view CommentFamily(std::string_view line) {
  line.remove_prefix(7);  // "# HELP " and "# TYPE " are both 7 bytes
  return line.substr(0, line.find(' '));
}

}  // namespace

void AppendMergedFamiliesText(std::span<const std::string_view> texts, std::string& out) {
  // Families in first-seen order, each as its header and the stretches of
  // sample lines that belong to it. A family starts at a HELP or TYPE line
  // naming another family than the one before; no sample line starts with '#'.
  struct Family {
    std::string_view name;
    std::string_view header;
    std::vector<std::string_view> samples;
  };
  // Extends `piece` by `line` when it ends where `line` starts.
  const auto extend = [](std::string_view& piece, std::string_view line) {
    if (piece.data() + piece.size() != line.data()) return false;
    piece = std::string_view(piece.data(), piece.size() + line.size());
    return true;
  };
  std::vector<Family> families;
  for (std::string_view text : texts) {
    std::size_t current = families.size();  // none yet in this text
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t eol = text.find('\n', pos);
      eol = eol == std::string_view::npos ? text.size() : eol + 1;
      const std::string_view line = text.substr(pos, eol - pos);
      pos = eol;
      const bool header = line.starts_with("# HELP ") || line.starts_with("# TYPE ");
      if (header && (current == families.size() || CommentFamily(line) != families[current].name)) {
        const std::string_view name = CommentFamily(line);
        current = std::find_if(families.begin(), families.end(),
                               [&](const Family& f) { return f.name == name; }) -
                  families.begin();
        if (current == families.size()) families.push_back({name, line, {}});
        continue;
      }
      if (current == families.size()) families.push_back({});  // samples without a header
      Family& f = families[current];
      if (header) {
        // The TYPE line after a HELP line: kept when this text gave the
        // family's header, dropped when an earlier text did.
        extend(f.header, line);
      } else if (f.samples.empty() || !extend(f.samples.back(), line)) {
        f.samples.push_back(line);
      }
    }
  }
  for (const Family& f : families) {
    out.append(f.header);
    for (std::string_view s : f.samples) out.append(s);
  }
}

}  // namespace vms
