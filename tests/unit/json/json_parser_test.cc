#include "vms/json/json_parser.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "vms/json/json_string.h"

namespace vms {
namespace {

JsonValue ParseOk(std::string_view text, JsonLimits limits = {}) {
  auto parsed = ParseJson(text, limits);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.error();
  return parsed.ok() ? *parsed : JsonValue();
}

std::string ParseError(std::string_view text, JsonLimits limits = {}) {
  auto parsed = ParseJson(text, limits);
  EXPECT_FALSE(parsed.ok()) << "accepted: " << text;
  return parsed.ok() ? "" : parsed.error();
}

TEST(JsonParserTest, ParsesEveryKindOfValue) {
  const JsonValue doc = ParseOk(
      R"( {"n": null, "t": true, "f": false, "i": -12, "d": 2.5e-1, "s": "x", "a": [1, [], {}],
          "o": {"k": "v"}} )");
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc.size(), 8u);
  EXPECT_TRUE(doc.Find("n")->is_null());
  EXPECT_EQ(doc.FindBool("t"), true);
  EXPECT_EQ(doc.FindBool("f"), false);
  EXPECT_EQ(doc.FindInt64("i"), -12);
  EXPECT_EQ(doc.FindDouble("d"), 0.25);
  EXPECT_EQ(doc.FindString("s"), "x");
  const JsonValue* a = doc.Find("a");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->size(), 3u);
  EXPECT_EQ(a->At(0)->AsInt64(), 1);
  EXPECT_TRUE(a->At(1)->is_array());
  EXPECT_TRUE(a->At(2)->is_object());
  EXPECT_EQ(a->At(3), nullptr);
  EXPECT_EQ(doc.Find("o")->FindString("k"), "v");
  EXPECT_EQ(doc.Find("missing"), nullptr);
  // Typed getters of the wrong type answer nullopt, not a conversion.
  EXPECT_EQ(doc.FindString("i"), std::nullopt);
  EXPECT_EQ(doc.FindInt64("s"), std::nullopt);
  EXPECT_EQ(doc.Find("s")->Find("x"), nullptr);
}

TEST(JsonParserTest, KeepsMemberOrderAndFindsTheFirstOfARepeatedName) {
  const JsonValue doc = ParseOk(R"({"b": 1, "a": 2, "b": 3})");
  const auto* members = doc.AsObject();
  ASSERT_NE(members, nullptr);
  ASSERT_EQ(members->size(), 3u);
  EXPECT_EQ((*members)[0].first, "b");
  EXPECT_EQ((*members)[1].first, "a");
  EXPECT_EQ(doc.FindInt64("b"), 1);
}

TEST(JsonParserTest, SixtyFourBitIntegersStayExact) {
  // Janus session ids and byte counters do not fit a double's 53 bits.
  const JsonValue doc = ParseOk(
      R"({"id": 9007199254740993, "max": 18446744073709551615, "min": -9223372036854775808,
          "big": 123456789012345678901234567890, "frac": 1.0, "exp": 1e3})");
  EXPECT_EQ(doc.FindUint64("id"), 9007199254740993u);
  EXPECT_EQ(doc.FindInt64("id"), 9007199254740993);
  EXPECT_EQ(doc.FindUint64("max"), std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(doc.FindInt64("max"), std::nullopt);
  EXPECT_EQ(doc.FindInt64("min"), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(doc.FindUint64("min"), std::nullopt);
  EXPECT_EQ(doc.FindInt64("big"), std::nullopt);
  EXPECT_DOUBLE_EQ(*doc.FindDouble("big"), 1.2345678901234568e29);
  EXPECT_EQ(doc.Find("big")->NumberText(), "123456789012345678901234567890");
  EXPECT_EQ(doc.FindInt64("frac"), std::nullopt);
  EXPECT_EQ(doc.FindDouble("exp"), 1000.0);
  EXPECT_EQ(doc.FindInt64("exp"), std::nullopt);
}

TEST(JsonParserTest, HugeNumbersAreErrorsAndTinyOnesZero) {
  EXPECT_NE(ParseError("1e400").find("out of range"), std::string::npos);
  EXPECT_NE(ParseError("-1e400").find("out of range"), std::string::npos);
  EXPECT_NE(ParseError(std::string(400, '9')).find("out of range"), std::string::npos);
  EXPECT_EQ(ParseOk("1e-400").AsDouble(), 0.0);
  EXPECT_EQ(ParseOk("0." + std::string(400, '0') + "1").AsDouble(), 0.0);
  EXPECT_EQ(ParseOk("1e-400").NumberText(), "1e-400");
  // An exponent too long for any integer type is still only a big number.
  EXPECT_NE(ParseError("1e" + std::string(50, '9')).find("out of range"), std::string::npos);
  EXPECT_EQ(ParseOk("1e-" + std::string(50, '9')).AsDouble(), 0.0);
  EXPECT_EQ(ParseOk("0e" + std::string(50, '9')).AsDouble(), 0.0);
}

TEST(JsonParserTest, RejectsNumbersOutsideTheGrammar) {
  for (const char* bad : {"01", "-", "+1", ".5", "1.", "1e", "1e+", "0x10", "NaN", "Infinity",
                          "-Infinity", "1.5.2", "--1", "- 1"}) {
    ParseError(bad);
  }
  EXPECT_EQ(ParseOk("-0").AsDouble(), 0.0);
  EXPECT_EQ(ParseOk("0.5E+2").AsDouble(), 50.0);
}

TEST(JsonParserTest, UnescapesStringsIncludingSurrogatePairs) {
  const JsonValue s = ParseOk(R"("q\" b\\ s\/ \b\f\n\r\t \u00e9 \u20AC \ud83d\ude00 \u0000 end")");
  EXPECT_EQ(*s.AsString(),
            std::string("q\" b\\ s/ \b\f\n\r\t \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 ") +
                std::string(1, '\0') + " end");
  EXPECT_EQ(*ParseOk("\"caf\xc3\xa9 \xf0\x9f\x98\x80\"").AsString(),
            "caf\xc3\xa9 \xf0\x9f\x98\x80");
}

TEST(JsonParserTest, RejectsInvalidUtf16) {
  EXPECT_NE(ParseError(R"("\ud83d")").find("lone high surrogate"), std::string::npos);
  EXPECT_NE(ParseError(R"("\ud83dx")").find("lone high surrogate"), std::string::npos);
  EXPECT_NE(ParseError(R"("\ude00\ud83d")").find("lone low surrogate"), std::string::npos);
  EXPECT_NE(ParseError(R"("\ud83d\u0041")").find("not followed by a low"), std::string::npos);
  ParseError(R"("\ud83d\u12")");
}

TEST(JsonParserTest, RejectsInvalidEscapesAndRawControlCharacters) {
  for (const char* bad : {R"("\x41")", R"("\a")", R"("\')", R"("\u12")", R"("\u12G4")",
                          R"("\U0041")", "\"tab\there\"", "\"line\nbreak\"", R"("\")", R"("abc)"}) {
    ParseError(bad);
  }
}

TEST(JsonParserTest, RejectsInvalidUtf8UnlessAskedNotTo) {
  for (const std::string bad : {"\"\xff\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"",
                                "\"\xf4\x90\x80\x80\"", "\"\xe2\x82\"", "\"\x80\""}) {
    EXPECT_NE(ParseError(bad).find("UTF-8"), std::string::npos);
  }
  JsonLimits lenient;
  lenient.validate_utf8 = false;
  EXPECT_EQ(*ParseOk("\"a\xff"
                     "b\"",
                     lenient)
                 .AsString(),
            "a\xff"
            "b");
}

TEST(JsonParserTest, NulBytesAreErrorsOutsideEscapes) {
  using namespace std::string_literals;
  ParseError("\"a\0b\""s);
  ParseError("{\"a\":1}\0"s);
  ParseError("\0"s);
  ParseError("[1,\0 2]"s);
  EXPECT_EQ(ParseOk("\"a\\u0000b\"").AsString()->size(), 3u);
}

TEST(JsonParserTest, RejectsWhatRfc8259DoesNotAllow) {
  for (const char* bad : {"",
                          " ",
                          "[1,]",
                          "{\"a\":1,}",
                          "{'a':1}",
                          "{a:1}",
                          "[1 2]",
                          "{\"a\" 1}",
                          "{\"a\":}",
                          "// c\n1",
                          "1 2",
                          "tru",
                          "nul",
                          "True",
                          "[",
                          "]",
                          "{",
                          "}",
                          "{\"a\":1",
                          "[1,",
                          "\"a\" \"b\"",
                          "\xef\xbb\xbf{}",
                          "\v1",
                          "{1:2}"}) {
    ParseError(bad);
  }
  EXPECT_TRUE(ParseOk(" \t\r\n[ ] \n").is_array());
  EXPECT_TRUE(ParseOk("\"\"").is_string());
}

TEST(JsonParserTest, TruncatedTextIsAnErrorAtEveryLength) {
  const std::string doc =
      R"({"items":[{"name":"cam1","ready":true,"bytesReceived":1234567890123,"tracks":["H264"]},)"
      R"({"name":"caf\u00e9","source":null,"x":-1.5e-3}],"pageCount":1})";
  ParseOk(doc);
  for (std::size_t n = 0; n < doc.size(); ++n) {
    EXPECT_FALSE(ParseJson(std::string_view(doc).substr(0, n)).ok()) << n;
  }
}

TEST(JsonParserTest, DeepNestingStopsAtTheDepthLimit) {
  const std::string deep64 = std::string(64, '[') + std::string(64, ']');
  ParseOk(deep64);
  const std::string deep65 = std::string(65, '[') + std::string(65, ']');
  EXPECT_NE(ParseError(deep65).find("nested deeper than 64"), std::string::npos);
  // Hostile depth far past any limit, also unterminated and in objects.
  ParseError(std::string(1'000'000, '['));
  std::string objects;
  for (int i = 0; i < 100'000; ++i) objects += "{\"a\":";
  ParseError(objects);
  // A larger limit is capped where the parser's stack stays small.
  JsonLimits huge;
  huge.max_depth = 1'000'000;
  ParseError(std::string(100'000, '[') + std::string(100'000, ']'), huge);
  ParseOk(std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']'), huge);
}

TEST(JsonParserTest, SizeAndValueCountLimits) {
  JsonLimits small;
  small.max_bytes = 10;
  ParseOk("[1,2,3,4]", small);
  EXPECT_NE(ParseError("[1,2,3,4,5]", small).find("over the limit"), std::string::npos);
  JsonLimits few;
  few.max_values = 4;  // the array and three elements
  ParseOk("[1,2,3]", few);
  EXPECT_NE(ParseError("[1,2,3,4]", few).find("values"), std::string::npos);
}

TEST(JsonParserTest, ErrorsNameTheByteOffset) {
  EXPECT_EQ(ParseError(R"({"a": tru})"), "JSON at byte 6: invalid literal");
  EXPECT_EQ(ParseError(R"([1, 2 x])"), "JSON at byte 6: expected ',' or ']'");
  EXPECT_EQ(ParseError(R"(["ab\q"])"), "JSON at byte 4: invalid escape in a string");
}

TEST(JsonStringTest, DecodesNginxEscapeJsonFields) {
  std::string out;
  ASSERT_TRUE(AppendJsonUnescaped(R"(curl \"quoted\" back\\slash \u001B)", out));
  EXPECT_EQ(out, "curl \"quoted\" back\\slash \x1b");
  JsonStringError error;
  out.clear();
  EXPECT_FALSE(AppendJsonUnescaped("a\"b", out, true, &error));
  EXPECT_EQ(error.offset, 1u);
}

}  // namespace
}  // namespace vms
