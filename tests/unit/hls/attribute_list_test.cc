#include "attribute_list.h"

#include <gtest/gtest.h>

namespace vms::hls {
namespace {

TEST(AttributeListTest, QuotedStringsKeepCommas) {
  // RFC 8216 4.2: a quoted-string may hold commas (CODECS lists several).
  const auto list = ParseAttributeList(
      R"(BANDWIDTH=440000,RESOLUTION=320x240,CODECS="avc1.64000d,mp4a.40.2",NAME="a b")");
  ASSERT_TRUE(list.ok()) << list.error();
  ASSERT_EQ(list->size(), 4u);
  EXPECT_EQ((*list)[2].name, "CODECS");
  EXPECT_EQ((*list)[2].value, "avc1.64000d,mp4a.40.2");
  EXPECT_TRUE((*list)[2].quoted);
  EXPECT_EQ((*list)[3].value, "a b");
  EXPECT_FALSE((*list)[0].quoted);
}

TEST(AttributeListTest, ToleratesBlanksAndATrailingComma) {
  const auto list = ParseAttributeList(R"( TYPE=PART , URI="p.mp4",)");
  ASSERT_TRUE(list.ok()) << list.error();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].value, "PART");
  EXPECT_EQ((*list)[1].value, "p.mp4");
}

TEST(AttributeListTest, EmptyListIsEmpty) {
  const auto list = ParseAttributeList("");
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
}

TEST(AttributeListTest, RejectsMalformedLists) {
  EXPECT_FALSE(ParseAttributeList("BANDWIDTH").ok());
  EXPECT_FALSE(ParseAttributeList(R"(URI="unterminated)").ok());
  EXPECT_FALSE(ParseAttributeList(R"(URI="a"b,X=1)").ok());
  EXPECT_FALSE(ParseAttributeList("=1").ok());
  // 4.2: an AttributeName must not appear twice.
  EXPECT_FALSE(ParseAttributeList("A=1,A=2").ok());
  std::string many;
  for (int i = 0; i <= static_cast<int>(kMaxAttributes); ++i) {
    many += 'A';
    many += std::to_string(i);
    many += "=1,";
  }
  EXPECT_FALSE(ParseAttributeList(many).ok());
}

TEST(AttributeListTest, NumbersFollowRfcForms) {
  EXPECT_EQ(ParseDecimalInteger("18446744073709551615"), 18446744073709551615ull);
  EXPECT_FALSE(ParseDecimalInteger("18446744073709551616"));
  EXPECT_FALSE(ParseDecimalInteger("-1"));
  EXPECT_FALSE(ParseDecimalInteger("0x10"));
  EXPECT_FALSE(ParseDecimalInteger(""));
  EXPECT_EQ(ParseDecimalFloat("4.00008"), 4.00008);
  EXPECT_EQ(ParseDecimalFloat("10"), 10.0);
  EXPECT_EQ(ParseDecimalFloat("10."), 10.0);
  EXPECT_EQ(ParseDecimalFloat(".5"), 0.5);
  for (const char* bad : {"", ".", "inf", "nan", "1e3", "-1.0", "1.2.3", " 1", "0x1p3"}) {
    EXPECT_FALSE(ParseDecimalFloat(bad)) << bad;
  }
}

TEST(AttributeListTest, ReaderTypesValuesAndNamesTheFirstProblem) {
  auto list = ParseAttributeList(R"(DURATION=0.33334,URI="a.mp4",INDEPENDENT=YES,RESOLUTION=1x2)");
  ASSERT_TRUE(list.ok());
  AttributeReader reader("EXT-X-PART", std::move(list).value());
  EXPECT_EQ(reader.Float("DURATION", true), 0.33334);
  EXPECT_EQ(reader.QuotedString("URI", true), "a.mp4");
  EXPECT_TRUE(reader.Yes("INDEPENDENT"));
  EXPECT_FALSE(reader.Yes("GAP"));
  EXPECT_EQ(reader.Resolution("RESOLUTION"), (std::pair<int, int>{1, 2}));
  EXPECT_TRUE(reader.status().ok());
  EXPECT_FALSE(reader.Integer("BYTERANGE-START", true));
  EXPECT_EQ(reader.status().message(), "EXT-X-PART attribute BYTERANGE-START is required");
  EXPECT_FALSE(reader.QuotedString("DURATION"));  // not quoted: keeps the first problem
  EXPECT_EQ(reader.status().message(), "EXT-X-PART attribute BYTERANGE-START is required");
}

TEST(AttributeListTest, ReaderRejectsWrongForms) {
  auto list = ParseAttributeList(R"(URI=a.mp4,B="1",R=0x720,Y=MAYBE)");
  ASSERT_TRUE(list.ok());
  {
    AttributeReader reader("T", *list);
    EXPECT_FALSE(reader.QuotedString("URI"));
    EXPECT_FALSE(reader.status().ok());
  }
  {
    AttributeReader reader("T", *list);
    EXPECT_FALSE(reader.Integer("B"));
    EXPECT_FALSE(reader.status().ok());
  }
  {
    AttributeReader reader("T", *list);
    EXPECT_FALSE(reader.Resolution("R"));
    EXPECT_FALSE(reader.status().ok());
  }
  {
    AttributeReader reader("T", *list);
    EXPECT_FALSE(reader.Yes("Y"));
    EXPECT_FALSE(reader.status().ok());
  }
}

}  // namespace
}  // namespace vms::hls
