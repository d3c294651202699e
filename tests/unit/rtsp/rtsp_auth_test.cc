#include "vms/rtsp/rtsp_auth.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vms {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using Scheme = AuthChallenge::Scheme;

constexpr std::string_view kRfc2617Challenge =
    "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
    "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";

TEST(RtspAuthTest, ParsesDigestChallenge) {
  const auto challenges = ParseAuthChallenges(kRfc2617Challenge);
  ASSERT_EQ(challenges.size(), 1u);
  const AuthChallenge& c = challenges[0];
  EXPECT_EQ(c.scheme, Scheme::kDigest);
  EXPECT_EQ(c.realm, "testrealm@host.com");
  EXPECT_EQ(c.nonce, "dcd98b7102dd2f0e8b11d0f600bfb0c093");
  EXPECT_EQ(c.opaque, "5ccc069c403ebaf9f0171e9517f40e41");
  EXPECT_THAT(c.qop, ElementsAre("auth", "auth-int"));
  EXPECT_FALSE(c.stale);
}

TEST(RtspAuthTest, Rfc2617WorkedExample) {
  const auto challenge = ChooseChallenge(ParseAuthChallenges(kRfc2617Challenge));
  ASSERT_TRUE(challenge);
  const auto header = BuildDigestAuthorization(
      *challenge, "Mufasa", "Circle Of Life",
      {.method = "GET", .uri = "/dir/index.html", .cnonce = "0a4f113b", .nc = 1});
  ASSERT_TRUE(header);
  EXPECT_THAT(*header, HasSubstr("response=\"6629fae49393a05397450978507c4ef1\""));
  EXPECT_THAT(*header, HasSubstr("qop=auth, nc=00000001, cnonce=\"0a4f113b\""));
  EXPECT_THAT(*header, HasSubstr("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""));
  EXPECT_THAT(*header, HasSubstr("username=\"Mufasa\""));
  EXPECT_THAT(*header, HasSubstr("uri=\"/dir/index.html\""));
  EXPECT_THAT(*header, Not(HasSubstr("Circle")));
}

TEST(RtspAuthTest, Rfc7616Sha256AndMd5Examples) {
  const std::string challenge_text =
      "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, "
      "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
      "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\", "
      "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=MD5, "
      "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
      "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
  const auto challenges = ParseAuthChallenges(challenge_text);
  ASSERT_EQ(challenges.size(), 2u);
  const DigestRequest request{.method = "GET",
                              .uri = "/dir/index.html",
                              .cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
                              .nc = 1};
  const auto sha = BuildDigestAuthorization(challenges[0], "Mufasa", "Circle of Life", request);
  ASSERT_TRUE(sha);
  EXPECT_THAT(*sha, HasSubstr("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"));
  const auto md5 = BuildDigestAuthorization(challenges[1], "Mufasa", "Circle of Life", request);
  ASSERT_TRUE(md5);
  EXPECT_THAT(*md5, HasSubstr("8ca523f5e9506fed4657c9700eebdbec"));
  // The stronger algorithm is chosen.
  EXPECT_EQ(ChooseChallenge(challenges)->algorithm, "SHA-256");
}

TEST(RtspAuthTest, QoplessDigest) {
  // As gst-rtsp-server and many cameras send it: no qop, so the RFC 2069 form.
  const auto challenges =
      ParseAuthChallenges("Digest realm=\"testrealm@host.com\", nonce=\"abc123\"");
  ASSERT_EQ(challenges.size(), 1u);
  const auto header = BuildDigestAuthorization(
      challenges[0], "Mufasa", "Circle Of Life",
      {.method = "DESCRIBE", .uri = "rtsp://127.0.0.1:8554/cam", .cnonce = "unused", .nc = 1});
  ASSERT_TRUE(header);
  // md5(md5("Mufasa:testrealm@host.com:Circle Of Life"):abc123:md5("DESCRIBE:rtsp://...")),
  // computed independently with Python's hashlib.
  EXPECT_THAT(*header, HasSubstr("response=\"a322af6f0c9c4dd801ae0fcccc86cc7d\""));
  EXPECT_THAT(*header, Not(HasSubstr("qop")));
  EXPECT_THAT(*header, Not(HasSubstr("cnonce")));
}

TEST(RtspAuthTest, Md5SessAndNonceCount) {
  AuthChallenge c;
  c.scheme = Scheme::kDigest;
  c.realm = "testrealm@host.com";
  c.nonce = "nonce1";
  c.algorithm = "MD5-sess";
  c.qop = {"auth"};
  const auto header = BuildDigestAuthorization(
      c, "Mufasa", "Circle Of Life",
      {.method = "DESCRIBE", .uri = "rtsp://h/x", .cnonce = "c0ffee", .nc = 2});
  ASSERT_TRUE(header);
  EXPECT_THAT(*header, HasSubstr("response=\"b65704813b3c28e14393cf2603c35157\""));
  EXPECT_THAT(*header, HasSubstr("nc=00000002"));
  EXPECT_THAT(*header, HasSubstr("algorithm=MD5-sess"));
}

TEST(RtspAuthTest, UnsupportedAlgorithmIsNotAnswered) {
  AuthChallenge c;
  c.scheme = Scheme::kDigest;
  c.nonce = "n";
  c.algorithm = "SHA-512-256";
  EXPECT_FALSE(BuildDigestAuthorization(
      c, "u", "p", {.method = "DESCRIBE", .uri = "/", .cnonce = "c", .nc = 1}));
  EXPECT_FALSE(ChooseChallenge({c}));
}

TEST(RtspAuthTest, StaleFlag) {
  const auto challenges = ParseAuthChallenges("Digest realm=\"cam\", nonce=\"n2\", stale=TRUE");
  ASSERT_EQ(challenges.size(), 1u);
  EXPECT_TRUE(challenges[0].stale);
  EXPECT_FALSE(ParseAuthChallenges("Digest realm=\"cam\", nonce=\"n2\", stale=false")[0].stale);
}

TEST(RtspAuthTest, PrefersDigestOverBasicAcrossHeaders) {
  auto challenges = ParseAuthChallenges("Basic realm=\"cam\"");
  const auto digest = ParseAuthChallenges("Digest realm=\"cam\", nonce=\"n\"");
  challenges.insert(challenges.end(), digest.begin(), digest.end());
  ASSERT_EQ(challenges.size(), 2u);
  EXPECT_EQ(ChooseChallenge(challenges)->scheme, Scheme::kDigest);
  EXPECT_EQ(ChooseChallenge({challenges[0]})->scheme, Scheme::kBasic);
}

TEST(RtspAuthTest, SeveralChallengesInOneHeader) {
  const auto challenges = ParseAuthChallenges(
      "Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\"");
  ASSERT_EQ(challenges.size(), 2u);
  EXPECT_EQ(challenges[0].scheme, Scheme::kOther);
  EXPECT_EQ(challenges[1].scheme, Scheme::kBasic);
  EXPECT_EQ(challenges[1].realm, "simple");
}

TEST(RtspAuthTest, SurvivesJunk) {
  EXPECT_TRUE(ParseAuthChallenges("").empty());
  EXPECT_TRUE(ParseAuthChallenges(",,,").empty());
  EXPECT_TRUE(ParseAuthChallenges("Digest realm=\"unterminated").empty());
  EXPECT_TRUE(ParseAuthChallenges("Digest realm=\"no nonce\"").empty());
  EXPECT_EQ(ParseAuthChallenges("Basic realm=x, =junk, Digest nonce=1").size(), 1u);
  EXPECT_EQ(ParseAuthChallenges("\"quoted\" Basic").size(), 0u);
}

TEST(RtspAuthTest, Basic) {
  EXPECT_EQ(BuildBasicAuthorization("Aladdin", "open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  EXPECT_EQ(BuildBasicAuthorization("", ""), "Basic Og==");
}

}  // namespace
}  // namespace vms
