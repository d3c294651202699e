// The authenticator's security properties, checked by what it runs rather
// than by how long it takes: timing assertions would flake on a busy machine.
#include "basic_auth.h"

#include <gtest/gtest.h>

#include "support/http_client.h"

namespace vms::internal {
namespace {

// htpasswd -nbBC 4 alice secret; htpasswd -nbBC 11 carol pw
constexpr char kAliceHash[] = "$2y$04$lr0XBqag.b82rqDVHnSobO9ieiYmLicWG27gEfo9XfRia/2xrhoI6";
constexpr char kCarolHash[] = "$2y$11$fevyOIVwfnEvfZVoOw3B.ONTRG870c240XBBfB8zkIpS.kF17Kmue";

TEST(BasicAuthTest, GoodCredentialsAreCachedAndBadOnesPayBcryptEveryTime) {
  BasicAuthenticator auth(std::map<std::string, std::string>{{"alice", kAliceHash}});
  EXPECT_TRUE(auth.Authorize(test::BasicAuthorization("alice:secret")));
  EXPECT_EQ(auth.bcrypt_runs(), 1u);
  EXPECT_TRUE(auth.Authorize(test::BasicAuthorization("alice:secret")));
  EXPECT_EQ(auth.bcrypt_runs(), 1u) << "a cached success must not run bcrypt again";
  EXPECT_FALSE(auth.Authorize(test::BasicAuthorization("alice:guess")));
  EXPECT_FALSE(auth.Authorize(test::BasicAuthorization("alice:guess")));
  EXPECT_EQ(auth.bcrypt_runs(), 3u) << "every wrong guess must pay bcrypt";
}

TEST(BasicAuthTest, UnknownUsersPayTheHighestConfiguredCost) {
  BasicAuthenticator auth(std::map<std::string, std::string>{{"alice", kAliceHash}, {"carol", kCarolHash}});
  EXPECT_FALSE(auth.Authorize(test::BasicAuthorization("mallory:secret")));
  EXPECT_EQ(auth.bcrypt_runs(), 1u) << "an unknown user must run bcrypt like a known one";
  EXPECT_EQ(auth.last_bcrypt_cost(), 11);
  EXPECT_FALSE(auth.Authorize(test::BasicAuthorization("mallory:secret")));
  EXPECT_EQ(auth.bcrypt_runs(), 2u) << "unknown users are never cached";
}

TEST(BasicAuthTest, MalformedHeadersRunNothing) {
  BasicAuthenticator auth(std::map<std::string, std::string>{{"alice", kAliceHash}});
  EXPECT_FALSE(auth.Authorize(""));
  EXPECT_FALSE(auth.Authorize("Bearer abc"));
  EXPECT_FALSE(auth.Authorize("Basic !!!!"));
  EXPECT_EQ(auth.bcrypt_runs(), 0u);
}

}  // namespace
}  // namespace vms::internal
