#include "vms/rtsp/rtsp_url.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vms {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(RtspUrlTest, ParsesAllParts) {
  const auto url = ParseRtspUrl("rtsp://admin:s3cret@cam1.local:8554/Streaming/Channels/101?x=1");
  ASSERT_TRUE(url.ok()) << url.error();
  EXPECT_EQ(url->user, "admin");
  EXPECT_EQ(url->password, "s3cret");
  EXPECT_TRUE(url->has_credentials);
  EXPECT_EQ(url->host, "cam1.local");
  EXPECT_EQ(url->port, 8554);
  EXPECT_EQ(url->path, "/Streaming/Channels/101?x=1");
  EXPECT_EQ(url->RequestUri(), "rtsp://cam1.local:8554/Streaming/Channels/101?x=1");
}

TEST(RtspUrlTest, DefaultsPortAndPath) {
  const auto url = ParseRtspUrl("RTSP://10.0.0.5");
  ASSERT_TRUE(url.ok()) << url.error();
  EXPECT_EQ(url->host, "10.0.0.5");
  EXPECT_EQ(url->port, 554);
  EXPECT_EQ(url->path, "/");
  EXPECT_FALSE(url->has_credentials);
  EXPECT_EQ(url->RequestUri(), "rtsp://10.0.0.5/");
}

TEST(RtspUrlTest, DecodesPercentEscapesAndTakesLastAt) {
  const auto url = ParseRtspUrl("rtsp://us%65r:p%40ss:w@rd@host/live");
  ASSERT_TRUE(url.ok()) << url.error();
  EXPECT_EQ(url->user, "user");
  EXPECT_EQ(url->password, "p@ss:w@rd");
  EXPECT_EQ(url->host, "host");
}

TEST(RtspUrlTest, ParsesIpv6Literal) {
  const auto url = ParseRtspUrl("rtsp://[::1]:554/a");
  ASSERT_TRUE(url.ok()) << url.error();
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->RequestUri(), "rtsp://[::1]:554/a");
}

TEST(RtspUrlTest, RejectsBadUrlsWithoutEchoingThem) {
  for (const char* bad :
       {"http://u:secretpw@h/", "rtsp://u:secretpw@/x", "rtsp://h:0/", "rtsp://h:99999/",
        "rtsp://h:12ab/", "rtsp://[::1/"}) {
    const auto url = ParseRtspUrl(bad);
    EXPECT_FALSE(url.ok()) << bad;
    EXPECT_THAT(url.error(), Not(HasSubstr("secretpw"))) << bad;
  }
}

// The redaction itself is tested with the splitter (url_credentials_test);
// here, that a URL the probe parses keeps its password out of RequestUri.
TEST(RtspUrlTest, RequestUriNeverHoldsCredentials) {
  const auto url = ParseRtspUrl("rtsp://admin:p%40ss@cam1:8554/live");
  ASSERT_TRUE(url.ok()) << url.error();
  EXPECT_EQ(url->password, "p@ss");
  EXPECT_EQ(url->RequestUri(), "rtsp://cam1:8554/live");
}

}  // namespace
}  // namespace vms
