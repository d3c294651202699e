#include "vms/metrics/exposition_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <cmath>
#include <limits>
#include <sstream>

#include "vms/metrics/metric_writer.h"

namespace vms {
namespace {

using Families = std::vector<prometheus::MetricFamily>;

// What TextSerializer writes for the families, in one go.
std::string Serialized(const Families& families) {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return out.str();
}

// A bit of everything the text format has: labels that need escaping,
// values that print in different notations, a histogram, an empty family.
Families Sample(double value) {
  Families families;
  MetricWriter out(&families);
  out.Gauge("a_bytes", "Bytes.")
      .Add({{"path", "/mnt/with \"quotes\" and \\ backslash"}}, value)
      .Add({{"path", "/"}}, 1e21)
      .Add({}, 0.000123);
  out.Counter("b_total", "Things \\ counted.").Add({{"k", "v"}, {"x", "y"}}, 42);
  out.Gauge("c_empty", "No samples.");
  static const double bounds[] = {0.5, 1, 5};
  static const std::uint64_t counts[] = {1, 0, 2};
  out.Histogram("d_seconds", "Durations.")
      .AddHistogram({{"device", "sda"}}, {bounds, counts, 4, 7.25})
      .AddHistogram({{"device", "sdb"}}, {bounds, counts, 3, 2.5});
  return families;
}

Families WithoutEmpty(Families families) {
  std::erase_if(families, [](const auto& f) { return f.metric.empty(); });
  return families;
}

TEST(ExpositionTextTest, MergedTextsHoldEachFamilyOnceWithEverySample) {
  const std::string a =
      "# HELP x_total X.\n# TYPE x_total counter\nx_total{s=\"a\"} 1\nx_total{s=\"b\"} 2\n"
      "# TYPE y gauge\ny 3\n";
  const std::string b =
      "# HELP z Z.\n# TYPE z gauge\nz 4\n"
      "# HELP x_total Other help.\n# TYPE x_total counter\nx_total{s=\"c\"} 5\n";
  const std::string c = "# TYPE y gauge\ny{s=\"c\"} 6\n";
  const std::vector<std::string_view> texts{a, b, c};
  std::string out = "before\n";
  AppendMergedFamiliesText(texts, out);
  EXPECT_EQ(out,
            "before\n"
            "# HELP x_total X.\n# TYPE x_total counter\nx_total{s=\"a\"} 1\nx_total{s=\"b\"} 2\n"
            "x_total{s=\"c\"} 5\n"
            "# TYPE y gauge\ny 3\ny{s=\"c\"} 6\n"
            "# HELP z Z.\n# TYPE z gauge\nz 4\n");
}

TEST(ExpositionTextTest, MergingTextsWithoutSharedFamiliesConcatenatesThem) {
  const std::string a = "# HELP a A.\n# TYPE a gauge\na 1\n";
  const std::string b = "# HELP b B.\n# TYPE b gauge\nb 2\n";
  const std::vector<std::string_view> texts{a, "", b};
  std::string out;
  AppendMergedFamiliesText(texts, out);
  EXPECT_EQ(out, a + b);
}

TEST(ExpositionTextTest, AppendsWhatTextSerializerWritesLeavingOutEmptyFamilies) {
  std::string text = "before\n";
  AppendFamiliesText(Sample(3.5), text);
  EXPECT_EQ(text, "before\n" + Serialized(WithoutEmpty(Sample(3.5))));
  EXPECT_THAT(text, ::testing::Not(::testing::HasSubstr("c_empty")));
}

TEST(ExpositionTextTest, HeaderAndPerMetricSamplesAssembleToTheFamilysText) {
  for (const auto& family : WithoutEmpty(Sample(3.5))) {
    SCOPED_TRACE(family.name);
    // Each metric rendered on its own, then assembled under one header.
    std::string assembled = FamilyHeaderText(family);
    for (const auto& metric : family.metric) {
      Families one = {{family.name, family.help, family.type, {metric}}};
      const SampleTexts samples(one);
      ASSERT_EQ(samples.size(), 1u);
      EXPECT_FALSE(samples[0].empty());
      assembled += samples[0];
      EXPECT_EQ(one[0].metric.size(), 1u) << "the family is given back";
    }
    EXPECT_EQ(assembled, Serialized({family}));
  }
}

// Families are rendered together and cut apart: whatever sits next to
// whom (families without samples or help, help with a newline, label
// values that look like HELP lines), each part must be that family's own.
TEST(ExpositionTextTest, SampleTextsOfFamiliesRenderedTogetherAreEachFamilysOwn) {
  auto expect_own = [](const Families& families) {
    const SampleTexts samples(families);
    ASSERT_EQ(samples.size(), families.size());
    for (std::size_t i = 0; i < families.size(); ++i) {
      SCOPED_TRACE(families[i].name);
      const std::string header =
          Serialized({{families[i].name, families[i].help, families[i].type, {}}});
      EXPECT_EQ(header + std::string(samples[i]), Serialized({families[i]}));
    }
  };
  Families families = Sample(2);
  MetricWriter out(&families);
  out.Gauge("f_no_help", "").Add({{"k", "v"}}, 1);
  out.Gauge("g_empty_no_help", "");
  out.Counter("h_total", "Counted.").Add({{"v", "x\n# HELP fake\n# TYPE fake gauge\n"}}, 3);
  out.Gauge("i_last", "Last.").Add({}, 4);
  expect_own(families);
  families[4].help = "Help that looks like\n# HELP h_total a second line.";
  expect_own(families);
}

TEST(ExpositionTextTest, SampleTextsOfAFamilyWithoutSamplesIsEmpty) {
  Families families = Sample(1);
  const SampleTexts samples(families);
  ASSERT_EQ(samples.size(), families.size());
  EXPECT_EQ(samples[2], "");  // c_empty
  EXPECT_EQ(FamilyHeaderText(families[2]), Serialized({families[2]}));
}

// The memo's output must be what rendering afresh gives, call after call,
// whatever changed: values, a family's shape, families added or removed.
TEST(ExpositionTextTest, MemoEqualsRenderingAfreshAcrossChanges) {
  FamilyTextMemo memo;
  auto expect_fresh = [&memo](const Families& families) {
    std::string text;
    memo.Append(families, text);
    std::string fresh;
    AppendFamiliesText(families, fresh);
    EXPECT_EQ(text, fresh);
  };
  expect_fresh(Sample(3.5));
  expect_fresh(Sample(3.5));  // all reused
  expect_fresh(Sample(4.5));  // one value changed
  expect_fresh(Sample(0.0));
  expect_fresh(Sample(-0.0));  // equal as doubles, not as text
  expect_fresh(Sample(std::nan("")));
  expect_fresh(Sample(std::nan("")));
  expect_fresh(Sample(std::numeric_limits<double>::infinity()));

  Families more = Sample(1);
  MetricWriter(&more).Gauge("e_new", "Added later.").Add({}, 1);
  expect_fresh(more);
  Families fewer = Sample(1);
  fewer.erase(fewer.begin());
  expect_fresh(fewer);
  Families relabelled = Sample(1);
  relabelled[1].metric[0].label[1].value = std::string("z");
  expect_fresh(relabelled);
  Families histogram_moved = Sample(1);
  histogram_moved[3].metric[1].histogram.bucket[0].cumulative_count = 2;
  expect_fresh(histogram_moved);
  Families odd_help = Sample(1);
  odd_help[1].help = "Two\nlines.";
  expect_fresh(odd_help);
  odd_help[0].metric[0].gauge.value = 7;
  expect_fresh(odd_help);
  expect_fresh({});
  expect_fresh(Sample(1));
}

}  // namespace
}  // namespace vms
