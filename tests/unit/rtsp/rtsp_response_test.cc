#include "vms/rtsp/rtsp_response.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vms {
namespace {

using Outcome = RtspResponseParse::Outcome;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::string_view kDescribe =
    "RTSP/1.0 200 OK\r\n"
    "CSeq: 2\r\n"
    "content-type: application/sdp\r\n"
    "Content-Length: 10\r\n"
    "\r\n"
    "v=0\r\no=- 1"
    "RTSP/1.0 404";  // the start of the next response stays unconsumed

TEST(RtspResponseTest, ParsesCompleteResponse) {
  const auto parse = ParseRtspResponse(kDescribe);
  ASSERT_EQ(parse.outcome, Outcome::kComplete) << parse.error;
  EXPECT_EQ(parse.response.status, 200);
  EXPECT_EQ(parse.response.reason, "OK");
  EXPECT_EQ(parse.response.Header("cseq"), "2");
  EXPECT_EQ(parse.response.Header("Content-Type"), "application/sdp");
  EXPECT_EQ(parse.response.body, "v=0\r\no=- 1");
  EXPECT_EQ(parse.consumed, kDescribe.size() - std::string_view("RTSP/1.0 404").size());
}

TEST(RtspResponseTest, NeedsMoreUntilEveryByteArrived) {
  const std::size_t full = kDescribe.size() - std::string_view("RTSP/1.0 404").size();
  for (std::size_t n = 0; n < full; ++n) {
    const auto parse = ParseRtspResponse(kDescribe.substr(0, n));
    EXPECT_EQ(parse.outcome, Outcome::kNeedMore) << "at " << n << ": " << parse.error;
  }
  EXPECT_EQ(ParseRtspResponse(kDescribe.substr(0, full)).outcome, Outcome::kComplete);
}

TEST(RtspResponseTest, KeepsRepeatedHeaders) {
  const auto parse = ParseRtspResponse(
      "RTSP/1.0 401 Unauthorized\r\n"
      "CSeq: 1\r\n"
      "WWW-Authenticate: Digest realm=\"cam\", nonce=\"abc\"\r\n"
      "www-authenticate: Basic realm=\"cam\"\r\n"
      "\r\n");
  ASSERT_EQ(parse.outcome, Outcome::kComplete) << parse.error;
  EXPECT_EQ(parse.response.status, 401);
  EXPECT_THAT(parse.response.Headers("WWW-Authenticate"),
              ElementsAre("Digest realm=\"cam\", nonce=\"abc\"", "Basic realm=\"cam\""));
  EXPECT_TRUE(parse.response.HasHeader("Cseq"));
  EXPECT_FALSE(parse.response.HasHeader("Content-Length"));
  EXPECT_TRUE(parse.response.body.empty());
}

TEST(RtspResponseTest, AcceptsBareLineFeedsAndFoldedHeaders) {
  const auto parse =
      ParseRtspResponse("RTSP/1.0 453 Not Enough Bandwidth\nCSeq: 3\nX-A: one\n two\n\n");
  ASSERT_EQ(parse.outcome, Outcome::kComplete) << parse.error;
  EXPECT_EQ(parse.response.status, 453);
  EXPECT_EQ(parse.response.reason, "Not Enough Bandwidth");
  EXPECT_EQ(parse.response.Header("x-a"), "one two");
}

TEST(RtspResponseTest, RejectsGarbageOnItsFirstBytes) {
  for (std::string_view bad : {"HTTP/1.1 200 OK\r\n\r\n", "\x16\x03\x01", "SSH-2.0-OpenSSH",
                               "rtsp/1.0 200 OK\r\n\r\n", "RX"}) {
    EXPECT_EQ(ParseRtspResponse(bad).outcome, Outcome::kMalformed) << bad;
  }
}

TEST(RtspResponseTest, RejectsBadStatusLinesAndHeaders) {
  for (std::string_view bad :
       {"RTSP/1.0 2x0 OK\r\n\r\n", "RTSP/1.0\r\n\r\n", "RTSP/1.0 20\r\n\r\n",
        "RTSP/1.0 2000 OK\r\n\r\n", "RTSP/1.0 099 Low\r\n\r\n", "RTSP/2.0 200 OK\r\n\r\n",
        "RTSP/1.0 200 OK\r\nNoColonHere\r\n\r\n", "RTSP/1.0 200 OK\r\n continued\r\n\r\n",
        "RTSP/1.0 200 OK\r\nContent-Length: -1\r\n\r\n",
        "RTSP/1.0 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"}) {
    EXPECT_EQ(ParseRtspResponse(bad).outcome, Outcome::kMalformed) << bad;
  }
}

TEST(RtspResponseTest, BoundsHeaderSizeEvenBeforeTheHeadersEnd) {
  std::string endless = "RTSP/1.0 200 OK\r\nX-Junk: ";
  endless.append(16 * 1024, 'a');
  const auto parse = ParseRtspResponse(endless);
  EXPECT_EQ(parse.outcome, Outcome::kMalformed);
  EXPECT_THAT(parse.error, HasSubstr("headers exceed"));

  // Just under the limit is still waiting for more.
  EXPECT_EQ(ParseRtspResponse(endless.substr(0, 16 * 1024)).outcome, Outcome::kNeedMore);
}

TEST(RtspResponseTest, BoundsBodySizeFromContentLength) {
  const auto parse = ParseRtspResponse("RTSP/1.0 200 OK\r\nContent-Length: 65537\r\n\r\nv=0");
  EXPECT_EQ(parse.outcome, Outcome::kMalformed);
  EXPECT_THAT(parse.error, HasSubstr("body exceeds"));
  EXPECT_EQ(ParseRtspResponse("RTSP/1.0 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n")
                .outcome,
            Outcome::kMalformed);
  EXPECT_EQ(ParseRtspResponse("RTSP/1.0 200 OK\r\nContent-Length: 65536\r\n\r\nv=0").outcome,
            Outcome::kNeedMore);
}

TEST(RtspResponseTest, HonoursCustomLimits) {
  RtspResponseLimits limits;
  limits.max_header_bytes = 32;
  EXPECT_EQ(
      ParseRtspResponse("RTSP/1.0 200 OK\r\nCSeq: 1\r\nX-Long-Header: yes\r\n\r\n", limits).outcome,
      Outcome::kMalformed);
}

}  // namespace
}  // namespace vms
