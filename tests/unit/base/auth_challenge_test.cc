#include "vms/base/auth_challenge.h"

#include <gtest/gtest.h>

namespace vms {
namespace {

TEST(ParseChallengesTest, SeveralChallengesWithQuotedAndTokenValues) {
  const auto c = ParseChallenges(
      R"(Digest realm="cam, \"lobby\"", nonce=abc123, qop="auth,auth-int", Basic realm="x")");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].scheme, "Digest");
  ASSERT_NE(c[0].Param("realm"), nullptr);
  EXPECT_EQ(*c[0].Param("realm"), "cam, \"lobby\"");
  EXPECT_EQ(*c[0].Param("NONCE"), "abc123");
  EXPECT_EQ(*c[0].Param("qop"), "auth,auth-int");
  EXPECT_EQ(c[0].Param("opaque"), nullptr);
  EXPECT_EQ(c[1].scheme, "Basic");
  EXPECT_EQ(*c[1].Param("realm"), "x");
}

TEST(ParseChallengesTest, BearerErrorOfRfc6750) {
  const auto c = ParseChallenges(
      R"(Bearer realm="api", error="invalid_token", error_description="The access token expired")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].scheme, "Bearer");
  EXPECT_EQ(*c[0].Param("error"), "invalid_token");
  EXPECT_EQ(*c[0].Param("error_description"), "The access token expired");
}

TEST(ParseChallengesTest, SchemeAloneAndToken68) {
  const auto c = ParseChallenges("Bearer, Negotiate YIIC+/x==, Basic realm=r");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].scheme, "Bearer");
  EXPECT_TRUE(c[0].params.empty());
  EXPECT_EQ(c[1].scheme, "Negotiate");
  EXPECT_EQ(c[1].token68, "YIIC+/x==");
  EXPECT_TRUE(c[1].params.empty());
  EXPECT_EQ(*c[2].Param("realm"), "r");
}

TEST(ParseChallengesTest, CamerasSpacesAndEmptyValues) {
  const auto c = ParseChallenges("  Digest   realm = \"r\" ,nonce=  n , opaque=,stale=TRUE ");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(*c[0].Param("realm"), "r");
  EXPECT_EQ(*c[0].Param("nonce"), "n");
  EXPECT_EQ(*c[0].Param("opaque"), "");
  EXPECT_EQ(*c[0].Param("stale"), "TRUE");
}

TEST(ParseChallengesTest, JunkKeepsWhatCameBefore) {
  EXPECT_TRUE(ParseChallenges("").empty());
  EXPECT_TRUE(ParseChallenges("@@@").empty());
  const auto unterminated = ParseChallenges(R"(Basic realm="a", Digest realm="never closed)");
  ASSERT_EQ(unterminated.size(), 1u);
  EXPECT_EQ(unterminated[0].scheme, "Basic");
  const auto junk = ParseChallenges("Basic realm=a, @ Digest nonce=n");
  ASSERT_EQ(junk.size(), 1u);
  EXPECT_EQ(junk[0].scheme, "Basic");
}

TEST(ParseChallengesTest, FirstOfARepeatedParameterCounts) {
  const auto c = ParseChallenges("Bearer error=a, error=b");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(*c[0].Param("error"), "a");
  EXPECT_EQ(c[0].params.size(), 2u);
}

}  // namespace
}  // namespace vms
