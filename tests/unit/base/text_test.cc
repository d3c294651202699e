#include "vms/base/text.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace vms {
namespace {

TEST(TextTest, TrimAndCaseInsensitiveEquality) {
  EXPECT_EQ(Trim(" \t a b \r\n"), "a b");
  EXPECT_EQ(Trim("   "), "");
  EXPECT_TRUE(EqualsNoCase("Content-Length", "content-LENGTH"));
  EXPECT_FALSE(EqualsNoCase("Content-Length", "Content-Lengt"));
}

TEST(TextTest, StartsWithNoCase) {
  EXPECT_TRUE(StartsWithNoCase("HTTPS://host", "https://"));
  EXPECT_TRUE(StartsWithNoCase("rtsp://", "rtsp://"));
  EXPECT_FALSE(StartsWithNoCase("rtsp:/", "rtsp://"));
  EXPECT_FALSE(StartsWithNoCase("http://", "https://"));
}

// RFC 4648 section 10's test vectors, and bytes above 0x7f.
TEST(TextTest, EncodeBase64) {
  EXPECT_EQ(EncodeBase64(""), "");
  EXPECT_EQ(EncodeBase64("f"), "Zg==");
  EXPECT_EQ(EncodeBase64("fo"), "Zm8=");
  EXPECT_EQ(EncodeBase64("foo"), "Zm9v");
  EXPECT_EQ(EncodeBase64("foob"), "Zm9vYg==");
  EXPECT_EQ(EncodeBase64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(EncodeBase64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(EncodeBase64(std::string_view("\xff\xfe\x00", 3)), "//4A");
  EXPECT_EQ(EncodeBase64(std::string("\0", 1)), "AA==");
}

TEST(TextTest, SplitWhitespaceDropsRunsOfSpacesAndTabs) {
  const auto f = SplitWhitespace("  8  0 sda\t 1 ");
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0], "8");
  EXPECT_EQ(f[2], "sda");
  EXPECT_EQ(f[3], "1");
  EXPECT_TRUE(SplitWhitespace(" \t ").empty());
}

TEST(TextTest, NextLineTakesLinesWithAndWithoutATrailingNewline) {
  std::string_view text = "a\n\nb";
  std::string_view line;
  std::vector<std::string> lines;
  while (NextLine(text, line)) lines.emplace_back(line);
  EXPECT_EQ(lines, (std::vector<std::string>{"a", "", "b"}));
}

// The house way to read a number: the whole text or nothing, no exceptions,
// no locale, no overflow into a wrong value.
TEST(TextTest, ParseNumberTakesTheWholeTextOrNothing) {
  std::uint64_t u = 7;
  EXPECT_TRUE(ParseNumber("18446744073709551615", u));
  EXPECT_EQ(u, UINT64_MAX);
  EXPECT_FALSE(ParseNumber("18446744073709551616", u));
  EXPECT_FALSE(ParseNumber("12 ", u));
  EXPECT_FALSE(ParseNumber(" 12", u));
  EXPECT_FALSE(ParseNumber("-1", u));
  EXPECT_FALSE(ParseNumber("", u));
  int i = 0;
  EXPECT_TRUE(ParseNumber("-42", i));
  EXPECT_EQ(i, -42);
  double d = 0;
  EXPECT_TRUE(ParseNumber("9.5", d));
  EXPECT_DOUBLE_EQ(d, 9.5);
  EXPECT_TRUE(ParseNumber("1e3", d));
  EXPECT_DOUBLE_EQ(d, 1000);
  EXPECT_FALSE(ParseNumber("9.5s", d));
  EXPECT_FALSE(ParseNumber("1e99999", d));
}

TEST(FormatUtcSecondsTest, UtcToTheSecond) {
  using std::chrono::system_clock;
  EXPECT_EQ(FormatUtcSeconds(system_clock::from_time_t(0)), "1970-01-01 00:00:00Z");
  EXPECT_EQ(
      FormatUtcSeconds(system_clock::from_time_t(1796305492) + std::chrono::milliseconds(999)),
      "2026-12-03 13:44:52Z");
}

}  // namespace
}  // namespace vms
