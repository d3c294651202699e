#include "vms/hls/date_time.h"

#include <gtest/gtest.h>

namespace vms::hls {
namespace {

// `date -u -d 2019-02-14T02:13:28Z +%s` = 1550110408.
TEST(DateTimeTest, ParsesUtcWithMilliseconds) {
  const auto t = ParseDateTime("2019-02-14T02:13:28.106Z");
  ASSERT_TRUE(t);
  EXPECT_NEAR(*t, 1550110408.106, 1e-6);
}

TEST(DateTimeTest, ParsesFfmpegOffsets) {
  // ffmpeg writes %z: "+0000"; RFC 3339 writes "+00:00"; both mean the same.
  EXPECT_NEAR(*ParseDateTime("2019-02-14T02:13:28.106+0000"), 1550110408.106, 1e-6);
  EXPECT_NEAR(*ParseDateTime("2019-02-14T04:13:28.106+02:00"), 1550110408.106, 1e-6);
  EXPECT_NEAR(*ParseDateTime("2019-02-13T21:13:28.106-0500"), 1550110408.106, 1e-6);
  EXPECT_NEAR(*ParseDateTime("2019-02-14T07:43:28.106+05:30"), 1550110408.106, 1e-6);
  EXPECT_NEAR(*ParseDateTime("2019-02-14T03:13:28+01"), 1550110408.0, 1e-6);
}

TEST(DateTimeTest, FractionsOfAnyLength) {
  EXPECT_NEAR(*ParseDateTime("1970-01-01T00:00:00.5Z"), 0.5, 1e-9);
  EXPECT_NEAR(*ParseDateTime("1970-01-01T00:00:01.123456789Z"), 1.123456789, 1e-9);
  EXPECT_NEAR(*ParseDateTime("1970-01-01T00:00:01.1234567891234Z"), 1.123456789, 1e-9);
  EXPECT_EQ(*ParseDateTime("1970-01-01T00:00:00Z"), 0.0);
}

TEST(DateTimeTest, CalendarEdges) {
  EXPECT_EQ(*ParseDateTime("2000-02-29T00:00:00Z"), 951782400.0);   // leap year
  EXPECT_FALSE(ParseDateTime("2100-02-29T00:00:00Z"));              // not one
  EXPECT_EQ(*ParseDateTime("2038-01-19T03:14:08Z"), 2147483648.0);  // past 32 bits
  EXPECT_EQ(*ParseDateTime("1969-12-31T23:59:59Z"), -1.0);
  EXPECT_EQ(*ParseDateTime("2016-12-31T23:59:60Z"), 1483228800.0);  // leap second
  EXPECT_EQ(*ParseDateTime("2019-02-14t02:13:28z"), 1550110408.0);
  EXPECT_EQ(*ParseDateTime("2019-02-14T02:13:28"), 1550110408.0);  // no offset: UTC
}

TEST(DateTimeTest, RejectsWhatIsNotADate) {
  for (const char* bad :
       {"", "2019-02-14", "2019-02-14T02:13", "2019-13-01T00:00:00Z", "2019-00-01T00:00:00Z",
        "2019-04-31T00:00:00Z", "2019-02-14T24:00:00Z", "2019-02-14T02:60:00Z",
        "2019-02-14T02:13:28.Z", "2019-02-14T02:13:28ZZ", "2019-02-14T02:13:28+2",
        "2019-02-14 02:13:28Z", "2019-02-14T02:13:28+25:00", "20190214T021328Z",
        "2019-02-14T02:13:28.106+00:0", "yyyy-02-14T02:13:28Z", "2019-02-14T02:13:28 Z"}) {
    EXPECT_FALSE(ParseDateTime(bad)) << bad;
  }
}

}  // namespace
}  // namespace vms::hls
