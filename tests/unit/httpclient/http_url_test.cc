#include "vms/httpclient/http_url.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vms {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(HttpUrlTest, ParsesAllParts) {
  const auto url = ParseHttpUrl("https://api:s3cret@api.example.org:8443/health?deep=1#top");
  ASSERT_TRUE(url.ok()) << url.error();
  EXPECT_TRUE(url->tls);
  EXPECT_EQ(url->host, "api.example.org");
  EXPECT_EQ(url->port, 8443);
  EXPECT_EQ(url->target, "/health?deep=1");
  EXPECT_TRUE(url->has_credentials);
  EXPECT_EQ(url->user, "api");
  EXPECT_EQ(url->password, "s3cret");
  EXPECT_EQ(url->HostHeader(), "api.example.org:8443");
  EXPECT_EQ(url->ToString(), "https://api.example.org:8443/health?deep=1");
}

TEST(HttpUrlTest, DefaultsPortsAndTarget) {
  const auto http = ParseHttpUrl("HTTP://10.0.0.5");
  ASSERT_TRUE(http.ok()) << http.error();
  EXPECT_FALSE(http->tls);
  EXPECT_EQ(http->port, 80);
  EXPECT_EQ(http->target, "/");
  EXPECT_EQ(http->HostHeader(), "10.0.0.5");
  const auto https = ParseHttpUrl("https://gw.local?x=1");
  ASSERT_TRUE(https.ok()) << https.error();
  EXPECT_EQ(https->port, 443);
  EXPECT_EQ(https->target, "/?x=1");
  EXPECT_EQ(https->HostHeader(), "gw.local");
  // An explicit default port is not repeated in Host.
  EXPECT_EQ(ParseHttpUrl("http://h:80/")->HostHeader(), "h");
}

TEST(HttpUrlTest, Ipv6Literal) {
  const auto url = ParseHttpUrl("http://[::1]:8080/v3/paths/list");
  ASSERT_TRUE(url.ok()) << url.error();
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->HostHeader(), "[::1]:8080");
  EXPECT_EQ(url->ToString(), "http://[::1]:8080/v3/paths/list");
}

TEST(HttpUrlTest, PercentDecodesCredentials) {
  const auto url = ParseHttpUrl("http://us%65r:p%40ss:w@rd@host/x");
  ASSERT_TRUE(url.ok()) << url.error();
  EXPECT_EQ(url->user, "user");
  EXPECT_EQ(url->password, "p@ss:w@rd");
  EXPECT_EQ(url->host, "host");
}

TEST(HttpUrlTest, RefusesBadUrlsWithoutShowingThem) {
  for (const char* bad :
       {"ftp://host/", "rtsp://host/", "http://", "http://user:Secret9@:80/", "http://h:99999/",
        "http://h/a b", "http://h/a\r\nX-Injected: 1", "http://[::1/"}) {
    const auto url = ParseHttpUrl(bad);
    EXPECT_FALSE(url.ok()) << bad;
    EXPECT_THAT(url.error(), Not(HasSubstr("Secret9")));
  }
}

HttpUrl Base() { return *ParseHttpUrl("https://u:p@api.local:8443/v1/health/check?x=1"); }

TEST(HttpUrlTest, ResolvesAbsoluteLocationsWithoutCredentials) {
  const auto next = ResolveLocation(Base(), "http://u2:p2@other:81/next");
  ASSERT_TRUE(next.ok()) << next.error();
  EXPECT_FALSE(next->tls);
  EXPECT_EQ(next->host, "other");
  EXPECT_EQ(next->port, 81);
  EXPECT_EQ(next->target, "/next");
  EXPECT_FALSE(next->has_credentials);
  EXPECT_EQ(next->user, "");
  EXPECT_EQ(next->password, "");
}

TEST(HttpUrlTest, ResolvesRelativeLocations) {
  EXPECT_EQ(ResolveLocation(Base(), "/root?y=2#f")->ToString(), "https://api.local:8443/root?y=2");
  EXPECT_EQ(ResolveLocation(Base(), "sibling")->ToString(),
            "https://api.local:8443/v1/health/sibling");
  EXPECT_EQ(ResolveLocation(Base(), "?y=2")->ToString(),
            "https://api.local:8443/v1/health/check?y=2");
  EXPECT_EQ(ResolveLocation(Base(), "//cdn.local/a")->ToString(), "https://cdn.local/a");
  EXPECT_EQ(ResolveLocation(Base(), "../up/./x")->ToString(), "https://api.local:8443/v1/up/x");
  EXPECT_EQ(ResolveLocation(Base(), " /trimmed ")->ToString(), "https://api.local:8443/trimmed");
  const auto relative = ResolveLocation(Base(), "next");
  EXPECT_FALSE(relative->has_credentials);
  EXPECT_EQ(relative->user, "");
}

TEST(HttpUrlTest, RefusesOtherSchemesAndEmptyLocations) {
  EXPECT_FALSE(ResolveLocation(Base(), "ftp://host/file").ok());
  EXPECT_FALSE(ResolveLocation(Base(), "javascript:alert(1)").ok());
  EXPECT_FALSE(ResolveLocation(Base(), "").ok());
  EXPECT_FALSE(ResolveLocation(Base(), "/a b").ok());
  // A colon after the path starts is part of the path, not a scheme.
  EXPECT_EQ(ResolveLocation(Base(), "/a:b")->target, "/a:b");
}

}  // namespace
}  // namespace vms
