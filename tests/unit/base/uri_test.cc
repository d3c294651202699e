#include "vms/base/uri.h"

#include <gtest/gtest.h>

namespace vms {
namespace {

TEST(UriTest, RelativeToAUrl) {
  const std::string base = "http://gw.example:8080/hls/lobby/index.m3u8?token=x";
  EXPECT_EQ(ResolveUri(base, "index3.ts"), "http://gw.example:8080/hls/lobby/index3.ts");
  EXPECT_EQ(ResolveUri(base, "stream_240p/index.m3u8"),
            "http://gw.example:8080/hls/lobby/stream_240p/index.m3u8");
  EXPECT_EQ(ResolveUri(base, "../1M/waitForMSN.php"),
            "http://gw.example:8080/hls/1M/waitForMSN.php");
  EXPECT_EQ(ResolveUri(base, "./a/./b/../c.ts"), "http://gw.example:8080/hls/lobby/a/c.ts");
  EXPECT_EQ(ResolveUri(base, "seg.ts?part=1#t"),
            "http://gw.example:8080/hls/lobby/seg.ts?part=1#t");
  EXPECT_EQ(ResolveUri(base, "../../../../x.ts"), "http://gw.example:8080/x.ts");  // never above /
}

TEST(UriTest, AbsolutePathsAndUrls) {
  const std::string base = "https://gw.example/hls/lobby/index.m3u8";
  EXPECT_EQ(ResolveUri(base, "/other/x.ts"), "https://gw.example/other/x.ts");
  EXPECT_EQ(ResolveUri(base, "//cdn.example/x.ts"), "https://cdn.example/x.ts");
  EXPECT_EQ(ResolveUri(base, "http://media.example.com/first.ts"),
            "http://media.example.com/first.ts");
  EXPECT_EQ(ResolveUri(base, "?msn=3"), "https://gw.example/hls/lobby/index.m3u8?msn=3");
  EXPECT_EQ(ResolveUri(base, ""), base);
  EXPECT_EQ(ResolveUri("http://gw.example", "x.ts"), "http://gw.example/x.ts");
}

// RFC 3986 5.4.1's normal examples that apply to playlists.
TEST(UriTest, Rfc3986Examples) {
  const std::string base = "http://a/b/c/d;p?q";
  EXPECT_EQ(ResolveUri(base, "g"), "http://a/b/c/g");
  EXPECT_EQ(ResolveUri(base, "./g"), "http://a/b/c/g");
  EXPECT_EQ(ResolveUri(base, "g/"), "http://a/b/c/g/");
  EXPECT_EQ(ResolveUri(base, "/g"), "http://a/g");
  EXPECT_EQ(ResolveUri(base, "//g"), "http://g");
  EXPECT_EQ(ResolveUri(base, "?y"), "http://a/b/c/d;p?y");
  EXPECT_EQ(ResolveUri(base, "g?y"), "http://a/b/c/g?y");
  EXPECT_EQ(ResolveUri(base, "#s"), "http://a/b/c/d;p?q#s");
  EXPECT_EQ(ResolveUri(base, "g#s"), "http://a/b/c/g#s");
  EXPECT_EQ(ResolveUri(base, "."), "http://a/b/c/");
  EXPECT_EQ(ResolveUri(base, "./"), "http://a/b/c/");
  EXPECT_EQ(ResolveUri(base, ".."), "http://a/b/");
  EXPECT_EQ(ResolveUri(base, "../g"), "http://a/b/g");
  EXPECT_EQ(ResolveUri(base, "../.."), "http://a/");
  EXPECT_EQ(ResolveUri(base, "../../g"), "http://a/g");
  EXPECT_EQ(ResolveUri(base, "../../../g"), "http://a/g");
  EXPECT_EQ(ResolveUri(base, "g;x=1/../y"), "http://a/b/c/y");
}

TEST(UriTest, FilePlaylists) {
  const std::string base = "/var/www/hls/lobby/index.m3u8";
  EXPECT_EQ(ResolveUri(base, "index3.ts"), "/var/www/hls/lobby/index3.ts");
  EXPECT_EQ(ResolveUri(base, "stream_240p/index.m3u8"),
            "/var/www/hls/lobby/stream_240p/index.m3u8");
  EXPECT_EQ(ResolveUri(base, "../shared/x.ts"), "/var/www/hls/shared/x.ts");
  EXPECT_EQ(ResolveUri(base, "/srv/x.ts"), "/srv/x.ts");
  EXPECT_EQ(ResolveUri(base, "/srv/../x.ts"), "/x.ts");
  EXPECT_EQ(ResolveUri(base, "../../../../../x.ts"), "/x.ts");
  EXPECT_EQ(ResolveUri(base, "http://gw/x.ts"), "http://gw/x.ts");
  // Relative playlist paths stay relative; their leading ".." is kept.
  EXPECT_EQ(ResolveUri("index.m3u8", "a.ts"), "a.ts");
  EXPECT_EQ(ResolveUri("hls/index.m3u8", "../a.ts"), "a.ts");
  EXPECT_EQ(ResolveUri("index.m3u8", "../a.ts"), "../a.ts");
}

TEST(UriTest, Schemes) {
  EXPECT_TRUE(HasScheme("http://x"));
  EXPECT_TRUE(HasScheme("https://x"));
  EXPECT_TRUE(HasScheme("file:///x"));
  EXPECT_FALSE(HasScheme("C:/x"));
  EXPECT_FALSE(HasScheme("/var/x:y"));
  EXPECT_FALSE(HasScheme("dir/a:b.ts"));  // a ':' after a '/' is in the path
  EXPECT_TRUE(HasScheme("seg:1.ts"));     // RFC 3986 4.2: write "./seg:1.ts" for a path
}

}  // namespace
}  // namespace vms
