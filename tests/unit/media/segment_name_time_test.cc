#include "vms/media/segment_name_time.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

namespace vms::media {
namespace {

// 2024-01-02 03:04:05 UTC
constexpr double kEpoch = 1704164645;

TEST(SegmentNameTimeTest, CompactStrftimeForm) {
  EXPECT_EQ(ParseSegmentNameTime("cam1_20240102-030405.ts", true), kEpoch);
  EXPECT_EQ(ParseSegmentNameTime("20240102-030405.mkv", true), kEpoch);
}

TEST(SegmentNameTimeTest, DashedStrftimeForm) {
  EXPECT_EQ(ParseSegmentNameTime("front-door_2024-01-02_03-04-05.mp4", true), kEpoch);
}

TEST(SegmentNameTimeTest, EpochSeconds) {
  EXPECT_EQ(ParseSegmentNameTime("cam1_1704164645.ts", true), kEpoch);
  EXPECT_EQ(ParseSegmentNameTime("1704164645.ts", false), kEpoch);
}

TEST(SegmentNameTimeTest, LocalTimeFollowsTheZone) {
  const char* old = std::getenv("TZ");
  const std::string saved = old ? old : "";
  setenv("TZ", "Etc/GMT-2", 1);  // POSIX sign: two hours east of UTC
  tzset();
  EXPECT_EQ(ParseSegmentNameTime("cam_20240102-050405.ts", false), kEpoch);
  if (old) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
}

TEST(SegmentNameTimeTest, NoTimestamp) {
  EXPECT_FALSE(ParseSegmentNameTime("segment_000123.ts", true));
  EXPECT_FALSE(ParseSegmentNameTime("cam.ts", true));
  EXPECT_FALSE(ParseSegmentNameTime("", true));
}

TEST(SegmentNameTimeTest, LongerDigitRunsAreNotTimestamps) {
  // Milliseconds since the epoch (13 digits) and a 9-digit sequence number.
  EXPECT_FALSE(ParseSegmentNameTime("cam_1704164645123.ts", true));
  EXPECT_FALSE(ParseSegmentNameTime("cam_123456789.ts", true));
  EXPECT_FALSE(ParseSegmentNameTime("cam_120240102-030405.ts", true));
}

TEST(SegmentNameTimeTest, OutOfRangeFields) {
  EXPECT_FALSE(ParseSegmentNameTime("cam_20241302-030405.ts", true));
  EXPECT_FALSE(ParseSegmentNameTime("cam_20240102-250405.ts", true));
}

}  // namespace
}  // namespace vms::media
