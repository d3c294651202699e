#include "vms/rtsp/sdp.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "vms/rtsp/h264_sps.h"

namespace vms {
namespace {

using ::testing::ElementsAre;

// As gst-rtsp-server sends it for x264enc ! rtph264pay.
constexpr std::string_view kGstSdp =
    "v=0\r\n"
    "o=- 1188340656180883 1 IN IP4 127.0.0.1\r\n"
    "s=Session streamed with GStreamer\r\n"
    "t=0 0\r\n"
    "a=tool:GStreamer\r\n"
    "a=type:broadcast\r\n"
    "a=control:*\r\n"
    "a=range:npt=now-\r\n"
    "m=video 0 RTP/AVP 96\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=rtpmap:96 H264/90000\r\n"
    "a=framerate:25\r\n"
    "a=fmtp:96 packetization-mode=1;profile-level-id=64001f;"
    "sprop-parameter-sets=Z2QAH6zZQFAFuhAAAAMAEAAAAwMo8YMZYA==,aOvjyyLA\r\n"
    "a=control:stream=0\r\n";

TEST(SdpTest, ParsesGstreamerH264) {
  const auto sdp = ParseSdp(kGstSdp);
  ASSERT_TRUE(sdp.ok()) << sdp.error();
  ASSERT_EQ(sdp->media.size(), 1u);
  const SdpMedia& m = sdp->media[0];
  EXPECT_EQ(m.type, "video");
  EXPECT_THAT(m.payload_types, ElementsAre(96));
  EXPECT_EQ(m.rtpmap.at(96).encoding, "H264");
  EXPECT_EQ(m.rtpmap.at(96).clock_rate, 90000);
  EXPECT_EQ(m.control, "stream=0");

  const auto track = FindVideoTrack(*sdp);
  ASSERT_TRUE(track.ok()) << track.error();
  EXPECT_EQ(track->codec, "H264");
  EXPECT_EQ(track->payload_type, 96);
  ASSERT_EQ(track->framerate, 25.0);
  ASSERT_EQ(track->sps.size(), 1u);  // the PPS is not kept
  const auto size = ParseH264SpsSize(track->sps[0]);
  ASSERT_TRUE(size.ok()) << size.error();
  EXPECT_EQ(size->width, 1280);
  EXPECT_EQ(size->height, 720);
}

TEST(SdpTest, PicksVideoAmongAudioAndApplication) {
  const auto sdp = ParseSdp(
      "v=0\nm=audio 0 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n"
      "m=application 0 RTP/AVP 107\na=rtpmap:107 vnd.onvif.metadata/90000\n"
      "m=video 0 RTP/AVP 97\na=rtpmap:97 H265/90000\n"
      "a=fmtp:97 sprop-vps=QAEMAf//AWAAAAMAkAAAAwAAAwBdlZgJ; "
      "sprop-sps=QgEBAWAAAAMAkAAAAwAAAwBdoAKAgC0WWVmkkyvAQEAAAAMAQAAABkI=; sprop-pps=RAHBcrRiQA==\n"
      "a=x-dimensions:1280,720\n");
  ASSERT_TRUE(sdp.ok()) << sdp.error();
  ASSERT_EQ(sdp->media.size(), 3u);
  const auto track = FindVideoTrack(*sdp);
  ASSERT_TRUE(track.ok()) << track.error();
  EXPECT_EQ(track->codec, "H265");
  EXPECT_EQ(track->sps.size(), 1u);
  EXPECT_EQ(track->width, 1280);
  EXPECT_EQ(track->height, 720);
  EXPECT_FALSE(track->framerate);
}

TEST(SdpTest, NormalisesCodecNames) {
  const auto codec = [](std::string media) {
    const auto sdp = ParseSdp("v=0\r\n" + media);
    EXPECT_TRUE(sdp.ok());
    const auto track = FindVideoTrack(*sdp);
    return track.ok() ? track->codec : "error: " + track.error();
  };
  EXPECT_EQ(codec("m=video 0 RTP/AVP 26\r\n"), "MJPEG");
  EXPECT_EQ(codec("m=video 0 RTP/AVP 96\r\na=rtpmap:96 JPEG/90000\r\n"), "MJPEG");
  EXPECT_EQ(codec("m=video 0 RTP/AVP 96\r\na=rtpmap:96 HEVC/90000\r\n"), "H265");
  EXPECT_EQ(codec("m=video 0 RTP/AVP 96\r\na=rtpmap:96 h264/90000\r\n"), "H264");
  EXPECT_EQ(codec("m=video 0 RTP/AVP 96\r\na=rtpmap:96 MP4V-ES/90000\r\n"), "MPEG4");
  EXPECT_EQ(codec("m=video 0 RTP/AVP 32\r\n"), "MPEG2");
  EXPECT_EQ(codec("m=video 0 RTP/AVP 96\r\na=rtpmap:96 theora/90000\r\n"), "THEORA");
  EXPECT_EQ(codec("m=audio 0 RTP/AVP 0\r\n"), "error: SDP has no video track");
}

TEST(SdpTest, SessionLevelFramerateAndFramesize) {
  const auto sdp = ParseSdp(
      "v=0\r\na=framerate:12.5\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
      "a=framesize:96 704-576\r\n");
  ASSERT_TRUE(sdp.ok());
  const auto track = FindVideoTrack(*sdp);
  ASSERT_TRUE(track.ok());
  EXPECT_EQ(track->framerate, 12.5);
  EXPECT_EQ(track->width, 704);
  EXPECT_EQ(track->height, 576);
  EXPECT_TRUE(track->sps.empty());
}

TEST(SdpTest, RejectsNonSdp) {
  EXPECT_FALSE(ParseSdp("<html>hello</html>").ok());
  EXPECT_FALSE(ParseSdp("").ok());
  EXPECT_FALSE(ParseSdp("v=0\r\nm=video 0\r\n").ok());
}

TEST(SdpTest, IgnoresJunkAttributes) {
  const auto sdp = ParseSdp(
      "v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:xx H264/90000\r\na=rtpmap:96\r\n"
      "a=fmtp:96 sprop-parameter-sets=!!!,,\r\na=framerate:fast\r\na=x-dimensions:0,0\r\n");
  ASSERT_TRUE(sdp.ok());
  const auto track = FindVideoTrack(*sdp);
  ASSERT_TRUE(track.ok());
  EXPECT_EQ(track->codec, "");
  EXPECT_TRUE(track->sps.empty());
  EXPECT_FALSE(track->framerate);
  EXPECT_EQ(track->width, 0);
}

TEST(SdpTest, Base64WithAndWithoutPadding) {
  EXPECT_EQ(DecodeBase64Lenient("aGVsbG8="), "hello");
  EXPECT_EQ(DecodeBase64Lenient("aGVsbG8"), "hello");
  EXPECT_EQ(DecodeBase64Lenient("aGVsbA=="), "hell");
  EXPECT_EQ(DecodeBase64Lenient("aGVsbA"), "hell");
  EXPECT_EQ(DecodeBase64Lenient(""), "");
  EXPECT_FALSE(DecodeBase64Lenient("a"));
  EXPECT_FALSE(DecodeBase64Lenient("a*bc"));
}

}  // namespace
}  // namespace vms
