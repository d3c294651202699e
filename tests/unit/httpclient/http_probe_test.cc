// HttpProbe's judgement of an exchange; the exchange itself runs against
// real servers in tests/integration/httpclient.
#include "vms/httpclient/http_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vms {
namespace {

using ::testing::HasSubstr;

HttpClientResult Response(int status, std::string body = "") {
  HttpClientResult r;
  r.status = status;
  r.reason = "Reason";
  r.body = std::move(body);
  return r;
}

TEST(HttpProbeJudgeTest, TwoHundredsAreValidByDefault) {
  const HttpProbeConfig config;
  EXPECT_EQ(JudgeHttpResponse(Response(200), config).failure, HttpFailure::kNone);
  EXPECT_EQ(JudgeHttpResponse(Response(204), config).failure, HttpFailure::kNone);
  EXPECT_EQ(JudgeHttpResponse(Response(299), config).failure, HttpFailure::kNone);
  for (int status : {100, 199, 301, 401, 404, 500, 503}) {
    const HttpVerdict v = JudgeHttpResponse(Response(status), config);
    EXPECT_EQ(v.failure, HttpFailure::kStatus) << status;
    EXPECT_THAT(v.error, HasSubstr(std::to_string(status)));
  }
}

TEST(HttpProbeJudgeTest, ConfiguredStatusCodesOnly) {
  HttpProbeConfig config;
  config.valid_status_codes = {200, 401};
  EXPECT_EQ(JudgeHttpResponse(Response(401), config).failure, HttpFailure::kNone);
  EXPECT_EQ(JudgeHttpResponse(Response(204), config).failure, HttpFailure::kStatus);
}

TEST(HttpProbeJudgeTest, TheExchangesOwnFailureComesFirst) {
  HttpClientResult r;
  r.failure = HttpFailure::kTls;
  r.error = "certificate verification failed: certificate has expired";
  const HttpVerdict v = JudgeHttpResponse(r, HttpProbeConfig{});
  EXPECT_EQ(v.failure, HttpFailure::kTls);
  EXPECT_EQ(v.error, r.error);
}

TEST(HttpProbeJudgeTest, BodyMustMatchTheRegex) {
  HttpProbeConfig config;
  auto regex = CompileBodyRegex(R"re("status"\s*:\s*"(ok|healthy)")re");
  ASSERT_TRUE(regex.ok()) << regex.error();
  config.body_regex = *regex;
  EXPECT_EQ(JudgeHttpResponse(Response(200, R"({"db": "up", "status": "ok"})"), config).failure,
            HttpFailure::kNone);
  EXPECT_EQ(JudgeHttpResponse(Response(200, R"({"status": "degraded"})"), config).failure,
            HttpFailure::kBody);
  // The status is judged before the body.
  EXPECT_EQ(JudgeHttpResponse(Response(500, R"({"status": "ok"})"), config).failure,
            HttpFailure::kStatus);
}

TEST(HttpProbeJudgeTest, BadRegexesAreRefusedAtConfigTime) {
  EXPECT_FALSE(CompileBodyRegex("(unclosed").ok());
  EXPECT_FALSE(CompileBodyRegex("[z-a]").ok());
  // Back-references need the recursive matcher, whose depth grows with the body.
  EXPECT_FALSE(CompileBodyRegex(R"((a)\1)").ok());
}

// libstdc++'s default matcher recurses once per character for patterns like
// this one and overflows the stack on a few MiB; the breadth-first one does not.
TEST(HttpProbeJudgeTest, LargeBodyDoesNotOverflowTheStack) {
  HttpProbeConfig config;
  auto regex = CompileBodyRegex("^(a|b)*$");
  ASSERT_TRUE(regex.ok()) << regex.error();
  config.body_regex = *regex;
  EXPECT_EQ(JudgeHttpResponse(Response(200, std::string(4 << 20, 'a')), config).failure,
            HttpFailure::kNone);
}

TEST(HttpFailureNameTest, NamesAreStable) {
  EXPECT_EQ(HttpFailureName(HttpFailure::kNone), "none");
  EXPECT_EQ(HttpFailureName(HttpFailure::kBodyTooLarge), "body_too_large");
  EXPECT_EQ(HttpFailureName(HttpFailure::kTls), "tls");
  EXPECT_EQ(HttpPhaseName(HttpPhase::kProcessing), "processing");
  EXPECT_EQ(HttpPhaseName(HttpPhase::kTransfer), "transfer");
}

TEST(HttpHeadersTest, LookupIgnoresCase) {
  HttpHeaders h;
  h.Add("Content-Type", "application/json");
  h.Add("Set-Cookie", "a=1");
  h.Add("set-cookie", "b=2");
  EXPECT_EQ(h.Get("content-type"), "application/json");
  EXPECT_EQ(h.Get("SET-COOKIE"), "a=1");
  EXPECT_EQ(h.GetAll("Set-Cookie").size(), 2u);
  EXPECT_FALSE(h.Get("Location"));
}

}  // namespace
}  // namespace vms
