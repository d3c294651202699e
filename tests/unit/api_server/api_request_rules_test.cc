#include "api_server/api_request_rules.h"

#include <gtest/gtest.h>

namespace vms::api_server {
namespace {

AccessRecord Req(int status, std::optional<std::string> scheme,
                 std::optional<std::string> challenge) {
  AccessRecord r;
  r.method = "GET";
  r.path = "/api/cameras/cam1";
  r.status = status;
  r.auth_scheme = std::move(scheme);
  r.www_authenticate = std::move(challenge);
  return r;
}

std::optional<JwtResult> Jwt(const AccessRecord& r, bool fields = true, bool prot = true) {
  return ClassifyJwt(r, fields, prot);
}

TEST(ClassifyJwtTest, ReadsTheBearerChallengeOfRfc6750) {
  EXPECT_EQ(Jwt(Req(200, "Bearer", {})), JwtResult::kValid);
  EXPECT_EQ(Jwt(Req(403, "Bearer", {})), JwtResult::kValid);  // authorised: not a token problem
  EXPECT_EQ(Jwt(Req(401, {}, "Bearer realm=\"vms\"")), JwtResult::kMissing);
  EXPECT_EQ(Jwt(Req(401, "Bearer", "Bearer realm=\"vms\"")), JwtResult::kInvalid);
  EXPECT_EQ(Jwt(Req(401, "Bearer",
                    "Bearer realm=\"vms\", error=\"invalid_token\", "
                    "error_description=\"The access token expired\"")),
            JwtResult::kExpired);
  EXPECT_EQ(Jwt(Req(401, "Bearer",
                    "bearer error=invalid_token, error_description=\"Token "
                    "EXPIRED at 12:00\"")),
            JwtResult::kExpired);
  EXPECT_EQ(Jwt(Req(401, "Bearer",
                    "Bearer error=\"invalid_token\", error_description=\"signature \\\"bad\\\"\"")),
            JwtResult::kInvalid);
  EXPECT_EQ(Jwt(Req(403, "Bearer", "Bearer error=\"insufficient_scope\", scope=\"admin\"")),
            JwtResult::kInsufficientScope);
  EXPECT_EQ(Jwt(Req(400, "Bearer", "Bearer error=\"invalid_request\"")), JwtResult::kInvalid);
  // The description mentions "expired" but the error is not invalid_token.
  EXPECT_EQ(
      Jwt(Req(400, "Bearer", "Bearer error=\"invalid_request\", error_description=\"expired\"")),
      JwtResult::kInvalid);
  // The Bearer challenge need not be the first one offered.
  EXPECT_EQ(Jwt(Req(401, "Bearer",
                    "Basic realm=\"vms\", Bearer realm=\"vms\", error=\"invalid_token\", "
                    "error_description=\"token expired\"")),
            JwtResult::kExpired);
  EXPECT_EQ(Jwt(Req(401, {}, "Negotiate, Bearer realm=\"vms\"")), JwtResult::kMissing);
}

TEST(ClassifyJwtTest, RequestsWithoutBearerAreNotJwtRequests) {
  EXPECT_EQ(Jwt(Req(200, {}, {})), std::nullopt);
  EXPECT_EQ(Jwt(Req(502, "Bearer", {})), std::nullopt);
  EXPECT_EQ(Jwt(Req(401, "Basic", "Basic realm=\"x\"")), std::nullopt);
  EXPECT_EQ(Jwt(Req(200, "Bearer", {}), true, false), std::nullopt);  // not a protected route
}

TEST(ClassifyJwtTest, CombinedFormatOnlyKnowsTheStatusOfProtectedRoutes) {
  EXPECT_EQ(Jwt(Req(200, {}, {}), false, true), JwtResult::kValid);
  EXPECT_EQ(Jwt(Req(304, {}, {}), false, true), JwtResult::kValid);
  EXPECT_EQ(Jwt(Req(401, {}, {}), false, true), JwtResult::kRejected);
  EXPECT_EQ(Jwt(Req(403, {}, {}), false, true), JwtResult::kRejected);
  EXPECT_EQ(Jwt(Req(500, {}, {}), false, true), std::nullopt);
  EXPECT_EQ(Jwt(Req(401, {}, {}), false, false), std::nullopt);
}

TEST(ClassifyLoginTest, ByStatus) {
  EXPECT_EQ(ClassifyLogin(200), LoginResult::kSuccess);
  EXPECT_EQ(ClassifyLogin(302), LoginResult::kSuccess);
  EXPECT_EQ(ClassifyLogin(401), LoginResult::kFailure);
  EXPECT_EQ(ClassifyLogin(400), LoginResult::kFailure);
  EXPECT_EQ(ClassifyLogin(429), LoginResult::kThrottled);
  EXPECT_EQ(ClassifyLogin(503), LoginResult::kError);
}

TEST(LabelsTest, MethodsAndStatusesAreBounded) {
  EXPECT_EQ(MethodLabel("GET"), "GET");
  EXPECT_EQ(MethodLabel("PATCH"), "PATCH");
  EXPECT_EQ(MethodLabel("get"), "OTHER");
  EXPECT_EQ(MethodLabel("PROPFIND"), "OTHER");
  EXPECT_EQ(MethodLabel(""), "OTHER");
  std::string buf;
  EXPECT_EQ(StatusLabel(404, buf), "404");
  EXPECT_EQ(StatusLabel(101, buf), "101");
  EXPECT_EQ(StatusLabel(0, buf), "other");
  EXPECT_EQ(StatusLabel(999, buf), "other");
}

}  // namespace
}  // namespace vms::api_server
