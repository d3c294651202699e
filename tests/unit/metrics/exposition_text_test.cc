#include "vms/metrics/exposition_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include <prometheus/text_serializer.h>

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
      const auto samples = SampleTexts(one);
      ASSERT_EQ(samples.size(), 1u);
      EXPECT_FALSE(samples[0].empty());
      assembled += samples[0];
      EXPECT_EQ(one[0].metric.size(), 1u) << "the family is given back";
    }
    EXPECT_EQ(assembled, Serialized({family}));
  }
}

TEST(ExpositionTextTest, SampleTextsOfAFamilyWithoutSamplesIsEmpty) {
  Families families = Sample(1);
  const auto samples = SampleTexts(families);
  ASSERT_EQ(samples.size(), families.size());
  EXPECT_EQ(samples[2], "");  // c_empty
  EXPECT_EQ(FamilyHeaderText(families[2]), Serialized({families[2]}));
}

}  // namespace
}  // namespace vms
