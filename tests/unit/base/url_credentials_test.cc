#include "vms/base/url_credentials.h"

#include <gtest/gtest.h>

namespace vms {
namespace {

TEST(UrlCredentialsTest, SplitsUserinfoAtTheLastAtBeforeThePath) {
  const auto s = SplitUrlCredentials("rtsp://user:p@ss@host:554/path?x=@");
  EXPECT_TRUE(s.has_userinfo);
  EXPECT_EQ(s.url, "rtsp://host:554/path?x=@");
  EXPECT_EQ(s.user, "user");
  EXPECT_EQ(s.password, "p@ss");
}

TEST(UrlCredentialsTest, WithoutUserinfoTheUrlIsUnchanged) {
  const auto s = SplitUrlCredentials("rtsp://host/p@x");
  EXPECT_FALSE(s.has_userinfo);
  EXPECT_EQ(s.url, "rtsp://host/p@x");
  EXPECT_EQ(s.user, "");
  EXPECT_EQ(s.password, "");
}

// A recorder started with rtsp://admin:p%40ss@cam/ sends the camera "p@ss":
// the probe must send the same, or it fails where the recorder logs in, and
// repeated bad logins lock the camera out.
TEST(UrlCredentialsTest, DecodesPercentEscapesAsFfmpegDoes) {
  const auto s = SplitUrlCredentials("rtsp://ad%6Din:p%40ss%3Aw0rd@cam1/live");
  EXPECT_EQ(s.user, "admin");
  EXPECT_EQ(s.password, "p@ss:w0rd");
  EXPECT_EQ(s.url, "rtsp://cam1/live");
  // A '%' without two hex digits after it is a literal '%'.
  EXPECT_EQ(SplitUrlCredentials("rtsp://u:50%off%4@h/").password, "50%off%4");
  EXPECT_EQ(PercentDecode("%zz%2"), "%zz%2");
  EXPECT_EQ(PercentDecode("%41%62c"), "Abc");
}

TEST(UrlCredentialsTest, UserWithoutPasswordAndEmptyUserinfo) {
  const auto user_only = SplitUrlCredentials("rtsp://admin@cam1/live");
  EXPECT_TRUE(user_only.has_userinfo);
  EXPECT_EQ(user_only.user, "admin");
  EXPECT_EQ(user_only.password, "");
  const auto empty = SplitUrlCredentials("http://@host/");
  EXPECT_TRUE(empty.has_userinfo);
  EXPECT_EQ(empty.url, "http://host/");
}

TEST(UrlCredentialsTest, RedactsThePasswordEvenWhenTheUrlIsMalformed) {
  EXPECT_EQ(RedactUrl("rtsp://admin:s3cret@cam1:554/live"), "rtsp://admin:***@cam1:554/live");
  EXPECT_EQ(RedactUrl("rtsp://admin@cam1/live"), "rtsp://admin:***@cam1/live");
  EXPECT_EQ(RedactUrl("rtsp://cam1/live"), "rtsp://cam1/live");
  EXPECT_EQ(RedactUrl("rtsp://cam1/a@b"), "rtsp://cam1/a@b");
  EXPECT_EQ(RedactUrl("rtsp://admin:p@ss@cam1/live"), "rtsp://admin:***@cam1/live");
  EXPECT_EQ(RedactUrl("rtsp://admin:s3cret@:bad/live"), "rtsp://admin:***@:bad/live");
  EXPECT_EQ(RedactUrl("admin:s3cret@cam1"), "admin:***@cam1");
  EXPECT_EQ(RedactUrl("http://u:p%40ss@gw:8080/hls"), "http://u:***@gw:8080/hls");
}

}  // namespace
}  // namespace vms
