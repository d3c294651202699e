#include "recording_node/camera_config.h"
#include "vms/host/process_matcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "support/subprocess.h"

namespace vms::recording_node {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::vector<CameraConfig> Parse(const std::string& yaml, const std::string& file = "/tmp/x.yml") {
  MapReader root(ParseYaml(yaml, file), file, "");
  auto cams = ParseCameras(root, file, ProbeDefaults{});
  return cams;
}

std::string ErrorOf(const std::string& yaml) {
  try {
    Parse(yaml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(CameraConfigTest, ParsesCameraWithPasswordFile) {
  const std::string dir = test::MakeTempDir();
  std::ofstream(dir + "/cam1.pass") << "s3cret\n";
  auto cams = Parse(
      "cameras:\n"
      "  - id: cam1\n"
      "    url: rtsp://10.0.0.5:554/stream1\n"
      "    username: admin\n"
      "    password_file: cam1.pass\n"
      "    recording_dir: /rec/cam1\n"
      "    probe_interval: 20s\n",
      dir + "/rec.yml");
  ASSERT_EQ(cams.size(), 1u);
  EXPECT_EQ(cams[0].id, "cam1");
  EXPECT_EQ(cams[0].password, "s3cret");
  EXPECT_EQ(cams[0].probe_interval, std::chrono::seconds(20));
  EXPECT_EQ(cams[0].probe_timeout, std::chrono::seconds(5));
}

TEST(CameraConfigTest, RejectsPasswordsInConfigWithoutEchoingThem) {
  const auto inline_url = ErrorOf("cameras:\n  - id: a\n    url: rtsp://u:hunter2@h/p\n");
  EXPECT_THAT(inline_url, HasSubstr("x.yml:3:10: cameras[0].url: holds a password"));
  EXPECT_THAT(inline_url, Not(HasSubstr("hunter2")));
  const auto inline_pw = ErrorOf("cameras:\n  - id: a\n    url: rtsp://h/p\n    password: hunter2\n");
  EXPECT_THAT(inline_pw, HasSubstr("cameras[0].password: inline passwords are not accepted"));
  EXPECT_THAT(inline_pw, Not(HasSubstr("hunter2")));
}

TEST(CameraConfigTest, ValidationErrors) {
  EXPECT_THAT(ErrorOf("cameras:\n  - id: a\n    url: http://h/p\n"),
              HasSubstr("cameras[0].url: must start with rtsp://"));
  EXPECT_THAT(ErrorOf("cameras:\n  - {id: a, url: rtsp://h/1}\n  - {id: a, url: rtsp://h/2}\n"),
              HasSubstr("cameras[1].id: duplicate camera id \"a\""));
  EXPECT_THAT(ErrorOf("cameras:\n  - {id: 'a b', url: rtsp://h/1}\n"), HasSubstr("cameras[0].id"));
  EXPECT_THAT(ErrorOf("cameras:\n  - {id: a, url: rtsp://h/1, password_file: /nonexistent}\n"),
              HasSubstr("cameras[0].password_file: cannot read /nonexistent"));
  EXPECT_THAT(ErrorOf("cameras:\n  - {id: a, url: rtsp://h/1, probe_timeout: 30s}\n"),
              HasSubstr("cameras[0].probe_timeout"));
  EXPECT_THAT(ErrorOf("cameras:\n  - {id: a, url: rtsp://h/1, urll: x}\n"),
              HasSubstr("cameras[0].urll: unknown key"));
}

TEST(CameraConfigTest, DiscoversFromFfmpegCommandLine) {
  auto cam = DiscoverFromCommandLine(
      {"/usr/bin/ffmpeg", "-rtsp_transport", "tcp", "-timeout", "5000000", "-i",
       "rtsp://admin:pw@10.0.0.5:554/stream1", "-c", "copy", "-f", "segment", "-segment_time",
       "60", "-strftime", "1", "/var/lib/vms/recordings/cam1/%Y%m%d-%H%M%S.ts"});
  ASSERT_TRUE(cam);
  EXPECT_EQ(cam->id, "cam1");
  EXPECT_EQ(cam->recording_dir, "/var/lib/vms/recordings/cam1");
  EXPECT_EQ(cam->url, "rtsp://admin:pw@10.0.0.5:554/stream1");

  auto flat = DiscoverFromCommandLine(
      {"ffmpeg", "-i", "rtsp://u:p@10.0.0.7/Streaming/Channels/101", "-c", "copy", "out.mkv"});
  ASSERT_TRUE(flat);
  EXPECT_EQ(flat->id, "10_0_0_7_Streaming_Channels_101");
  EXPECT_THAT(flat->id, Not(HasSubstr("p@")));

  EXPECT_FALSE(DiscoverFromCommandLine({"ffmpeg", "-i", "input.mp4", "out.ts"}));
  EXPECT_FALSE(DiscoverFromCommandLine({"nginx", "-i", "rtsp://h/p", "/x/y/z.ts"}));
  EXPECT_FALSE(DiscoverFromCommandLine({"ffmpeg", "-i", "rtsp://h/p"}));
}

TEST(CameraConfigTest, RecorderRuleMatchesRecorderWithOrWithoutCredentials) {
  CameraConfig c;
  c.id = "cam1";
  c.url = "rtsp://10.0.0.5:554/stream1";
  c.recording_dir = "/rec/cam1/";
  const ProcessMatcher matcher(RecorderRule(c));
  const auto matches = [&](std::string comm, std::string cmdline) {
    ProcessRecord p;
    p.comm = std::move(comm);
    p.cmdline = std::move(cmdline);
    return matcher.Matches(p);
  };
  EXPECT_TRUE(matches("ffmpeg", "ffmpeg -i rtsp://a:b@10.0.0.5:554/stream1 -c copy x.ts"));
  EXPECT_TRUE(matches("ffmpeg", "ffmpeg -i rtsp://10.0.0.5:554/stream1 -c copy x.ts"));
  EXPECT_TRUE(matches("ffmpeg", "ffmpeg -i rtsp://10.0.0.5:554/stream1"));
  EXPECT_TRUE(matches("ffmpeg", "ffmpeg -i rtsp://other/x -f segment /rec/cam1/%d.ts"));
  EXPECT_FALSE(matches("ffmpeg", "ffmpeg -i rtsp://10.0.0.5:554/stream10 -c copy /rec/cam10/x"));
  EXPECT_FALSE(matches("ffmpeg", "ffmpeg -i rtsp://10.0.0.5:554/stream1x -c copy y.ts"));
  EXPECT_FALSE(matches("vlc", "vlc rtsp://10.0.0.5:554/stream1"));
  EXPECT_TRUE(matcher.needs().cmdline);

  c.recorder_match = "camera-one";
  const ProcessMatcher custom(RecorderRule(c));
  ProcessRecord p;
  p.comm = "gst-launch-1.0";
  p.cmdline = "gst-launch-1.0 rtspsrc location=x ! camera-one";
  EXPECT_TRUE(custom.Matches(p));
}

}  // namespace
}  // namespace vms::recording_node
