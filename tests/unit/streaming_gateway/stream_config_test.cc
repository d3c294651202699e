#include "streaming_gateway/stream_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "streaming_gateway/role.h"
#include "support/subprocess.h"

namespace vms::streaming_gateway {
namespace {

using ::testing::HasSubstr;

std::string ErrorOf(const std::string& yaml, const std::string& file = "g.yml") {
  try {
    Definition().Parse(yaml, file);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(StreamConfigTest, ParsesStreamsWithDefaults) {
  const Config c = Definition().Parse(
      "probes:\n  interval: 5s\n  timeout: 3s\nstreams:\n"
      "  - camera_id: lobby\n    rtsp: rtsp://viewer@127.0.0.1:8554/lobby\n"
      "    hls: /var/www/hls/lobby/index.m3u8\n"
      "  - camera_id: yard\n    hls: https://gw.example/hls/yard/index.m3u8\n    hls_interval: "
      "4s\n",
      "g.yml");
  ASSERT_EQ(c.streams.size(), 2u);
  const StreamConfig& lobby = c.streams[0];
  EXPECT_EQ(lobby.rtsp, "rtsp://127.0.0.1:8554/lobby");
  EXPECT_EQ(lobby.rtsp_username, "viewer");
  EXPECT_EQ(lobby.probe_interval, std::chrono::seconds(5));
  EXPECT_EQ(lobby.hls_interval, std::chrono::seconds(2));
  EXPECT_EQ(lobby.hls_timeout, std::chrono::seconds(2));  // min(probes.timeout, hls_interval)
  EXPECT_FALSE(IsHttpLocation(lobby.hls));
  EXPECT_TRUE(IsHttpLocation(c.streams[1].hls));
  EXPECT_EQ(c.streams[1].hls_timeout, std::chrono::seconds(3));
}

TEST(StreamConfigTest, ThePasswordComesFromAFileRelativeToTheConfig) {
  const std::string dir = test::MakeTempDir();
  std::ofstream(dir + "/gw.pass") << "s3cret\n";
  const Config c = Definition().Parse(
      "streams:\n  - camera_id: lobby\n    rtsp: rtsp://127.0.0.1/lobby\n    rtsp_username: v\n"
      "    rtsp_password_file: gw.pass\n",
      dir + "/g.yml");
  EXPECT_EQ(c.streams[0].rtsp_password, "s3cret");
}

TEST(StreamConfigTest, ErrorsNameTheKeyAndNeverTheSecret) {
  EXPECT_EQ(ErrorOf("streams:\n  - camera_id: a b\n    hls: /x.m3u8\n"),
            "g.yml:2:16: streams[0].camera_id: must be 1-128 characters of A-Z a-z 0-9 _ . : -");
  EXPECT_THAT(ErrorOf("streams:\n  - camera_id: a\n    hls: /x\n  - camera_id: a\n    hls: /y\n"),
              HasSubstr("streams[1].camera_id: duplicate camera_id \"a\""));
  EXPECT_THAT(ErrorOf("streams:\n  - camera_id: a\n"),
              HasSubstr("streams[0]: needs rtsp, hls or both"));
  const std::string inline_password =
      ErrorOf("streams:\n  - camera_id: a\n    rtsp: rtsp://u:hunter2@h/x\n");
  EXPECT_THAT(inline_password, HasSubstr("streams[0].rtsp: holds a password"));
  EXPECT_THAT(inline_password, ::testing::Not(HasSubstr("hunter2")));
  EXPECT_THAT(ErrorOf("streams:\n  - camera_id: a\n    hls: relative/x.m3u8\n"),
              HasSubstr("streams[0].hls: a file path must be absolute"));
  EXPECT_THAT(ErrorOf("streams:\n  - camera_id: a\n    hls: ftp://h/x.m3u8\n"),
              HasSubstr("must be a file path or an http:// or https:// URL"));
  EXPECT_THAT(ErrorOf("streams:\n  - camera_id: a\n    hls: /x\n    hls_interval: 50ms\n"),
              HasSubstr("streams[0].hls_interval: must be between 200ms and 10m"));
  EXPECT_THAT(
      ErrorOf(
          "streams:\n  - camera_id: a\n    hls: /x\n    hls_interval: 1s\n    hls_timeout: 2s\n"),
      HasSubstr("streams[0].hls_timeout: must not exceed hls_interval"));
  EXPECT_THAT(ErrorOf("streams:\n  - camera_id: a\n    hls: /x\n    hsl: /y\n"),
              HasSubstr("streams[0].hsl: unknown key"));
}

}  // namespace
}  // namespace vms::streaming_gateway
