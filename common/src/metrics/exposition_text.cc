#include "vms/metrics/exposition_text.h"

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

}  // namespace

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
