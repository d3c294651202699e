#include "vms/base/url_authority.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vms {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(UrlAuthorityTest, HostAndPort) {
  const auto a = ParseUrlAuthority("cam1.local:8554");
  ASSERT_TRUE(a.ok()) << a.error();
  EXPECT_EQ(a->host, "cam1.local");
  EXPECT_EQ(a->port, 8554);
  EXPECT_TRUE(a->explicit_port);
}

TEST(UrlAuthorityTest, HostWithoutPort) {
  const auto a = ParseUrlAuthority("10.0.0.5");
  ASSERT_TRUE(a.ok()) << a.error();
  EXPECT_EQ(a->host, "10.0.0.5");
  EXPECT_EQ(a->port, 0);
  EXPECT_FALSE(a->explicit_port);
}

TEST(UrlAuthorityTest, Ipv6LiteralWithAndWithoutPort) {
  const auto a = ParseUrlAuthority("[::1]:8443");
  ASSERT_TRUE(a.ok()) << a.error();
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(a->port, 8443);
  const auto b = ParseUrlAuthority("[fe80::1%25eth0]");
  ASSERT_TRUE(b.ok()) << b.error();
  EXPECT_EQ(b->host, "fe80::1%25eth0");
  EXPECT_FALSE(b->explicit_port);
}

TEST(UrlAuthorityTest, RefusesBadAuthoritiesWithoutRepeatingThem) {
  for (const char* bad : {"", ":80", "host:", "host:0", "host:65536", "host:-1", "host:+80",
                          "host:8x", "[::1", "[::1]x", "[]:80"}) {
    const auto a = ParseUrlAuthority(bad);
    EXPECT_FALSE(a.ok()) << bad;
    if (std::string_view(bad).size() > 2) {
      EXPECT_THAT(a.error(), Not(HasSubstr(bad))) << bad;
    }
  }
}

TEST(UrlAuthorityTest, UrlHostBracketsIpv6Only) {
  EXPECT_EQ(UrlHost("::1"), "[::1]");
  EXPECT_EQ(UrlHost("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(UrlHost("example.org"), "example.org");
}

}  // namespace
}  // namespace vms
