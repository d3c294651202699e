#include "vms/hls/quality.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vms::hls {
namespace {

using ::testing::ElementsAre;

Variant V(std::uint64_t bandwidth, int width = 0, int height = 0, std::string name = "") {
  Variant v;
  v.bandwidth = bandwidth;
  v.width = width;
  v.height = height;
  v.name = std::move(name);
  return v;
}

TEST(QualityLabelsTest, NameThenResolutionThenBandwidth) {
  MasterPlaylist m;
  m.variants = {V(800000, 1280, 720, "HD"), V(400000, 640, 360), V(64000)};
  EXPECT_THAT(QualityLabels(m), ElementsAre("HD", "640x360", "64k"));
}

TEST(QualityLabelsTest, RepeatsStayDistinct) {
  MasterPlaylist m;
  m.variants = {V(800000, 1280, 720), V(2000000, 1280, 720), V(800000, 1280, 720),
                V(1000, 0, 0, "other")};
  EXPECT_THAT(QualityLabels(m),
              ElementsAre("1280x720", "1280x720_2000k", "1280x720_800k", "other_1k"));
}

TEST(QualityLabelsTest, NamesAreSanitizedAndCut) {
  MasterPlaylist m;
  m.variants = {V(1, 0, 0, "720p \"HQ\"/{x}"), V(2, 0, 0, std::string(100, 'n'))};
  EXPECT_THAT(QualityLabels(m), ElementsAre("720p__HQ___x_", std::string(32, 'n')));
}

TEST(QualityLabelsTest, CardinalityIsBounded) {
  MasterPlaylist m;
  for (int i = 0; i < 20; ++i) m.variants.push_back(V(1000 * (i + 1)));
  const auto labels = QualityLabels(m);
  ASSERT_EQ(labels.size(), 20u);
  EXPECT_EQ(labels[kMaxQualities - 1], "8k");
  for (std::size_t i = kMaxQualities; i < labels.size(); ++i) EXPECT_EQ(labels[i], "other");
}

}  // namespace
}  // namespace vms::hls
