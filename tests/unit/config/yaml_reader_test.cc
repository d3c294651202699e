#include "vms/config/yaml_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "vms/config/probe_defaults.h"

namespace vms {
namespace {

using ::testing::HasSubstr;

std::string ErrorOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

// A document with a `probes:` section and a list of named items, read the
// way a role reads its config.
struct Doc {
  ProbeDefaults probes;
  std::vector<std::string> names;
};

Doc ParseDoc(const std::string& text, const std::string& file) {
  MapReader root(ParseYaml(text, file), file, "");
  Doc doc;
  doc.probes = ParseProbeDefaults(root.Map("probes"));
  root.Each("items", [&](MapReader& m) {
    doc.names.push_back(m.String("name"));
    m.Regex("match", "");
  });
  root.Finish();
  return doc;
}

TEST(YamlReaderTest, UnknownKeyNamesFileLineColumnAndPath) {
  const std::string text = "probes:\n  interval: 10s\n  intervall: 5s\n";
  EXPECT_EQ(ErrorOf([&] { ParseDoc(text, "rec.yml"); }), "rec.yml:3:3: probes.intervall: unknown key");
}

TEST(YamlReaderTest, UnknownTopLevelKey) {
  EXPECT_EQ(ErrorOf([] { ParseDoc("bogus: 1\n", "a.yml"); }), "a.yml:1:1: bogus: unknown key");
}

TEST(YamlReaderTest, BadValuesNameTheKeyAndPosition) {
  EXPECT_THAT(ErrorOf([] { ParseDoc("probes:\n  timeout: soon\n", "b.yml"); }),
              HasSubstr("b.yml:2:12: probes.timeout: invalid duration \"soon\""));
  EXPECT_THAT(ErrorOf([] { ParseDoc("probes:\n  concurrency: 0\n", "b.yml"); }),
              HasSubstr("b.yml:2:16: probes.concurrency: must be between 1 and 1024"));
  EXPECT_THAT(ErrorOf([] { ParseDoc("probes:\n  concurrency: many\n", "b.yml"); }),
              HasSubstr("probes.concurrency: expected an integer"));
  EXPECT_THAT(ErrorOf([] { ParseDoc("probes: [1, 2]\n", "b.yml"); }),
              HasSubstr("b.yml:1:9: probes: expected a mapping"));
  EXPECT_THAT(ErrorOf([] { ParseDoc("probes:\n  interval: 1s\n  timeout: 2s\n", "c.yml"); }),
              HasSubstr("c.yml:3:12: probes.timeout: must not exceed interval"));
}

// A duration that does not fit used to escape std::stod as std::out_of_range
// and end the exporter on SIGHUP; it is an error naming the key like any other.
TEST(YamlReaderTest, DurationsAreRangeChecked) {
  EXPECT_THAT(ErrorOf([] { ParseDoc("probes:\n  interval: 99999999999999999999999s\n", "d.yml"); }),
              HasSubstr("d.yml:2:13: probes.interval: invalid duration"));
  EXPECT_THAT(ErrorOf([] { ParseDoc("probes:\n  interval: 200000000000000h\n", "d.yml"); }),
              HasSubstr("probes.interval: invalid duration"));
  EXPECT_THAT(ErrorOf([] { ParseDoc("probes:\n  interval: 50ms\n", "d.yml"); }),
              HasSubstr("d.yml:2:13: probes.interval: must be between 100ms and 1d"));
  EXPECT_THAT(ErrorOf([] { ParseDoc("probes:\n  interval: 400d\n", "d.yml"); }),
              HasSubstr("probes.interval: must be between 100ms and 1d"));
  EXPECT_THAT(ErrorOf([] { ParseDoc("probes:\n  timeout: 0\n", "d.yml"); }),
              HasSubstr("probes.timeout: must be between 1ms and 1d"));
}

TEST(YamlReaderTest, SyntaxErrorHasPosition) {
  const auto err = ErrorOf([] { ParseDoc("probes:\n  interval: [10s\n", "d.yml"); });
  EXPECT_THAT(err, ::testing::MatchesRegex("d\\.yml:[0-9]+:[0-9]+: .*"));
}

TEST(YamlReaderTest, ListItemsAreAddressedByIndex) {
  const std::string text = "items:\n  - name: nginx\n  - name: api\n    cmd: x\n";
  EXPECT_EQ(ErrorOf([&] { ParseDoc(text, "e.yml"); }), "e.yml:4:5: items[1].cmd: unknown key");
  EXPECT_THAT(ErrorOf([] { ParseDoc("items:\n  - name: a\n    match: '(['\n", "f.yml"); }),
              HasSubstr("f.yml:3:12: items[0].match: invalid regular expression"));
  EXPECT_EQ(ErrorOf([] { ParseDoc("items:\n  - {}\n", "g.yml"); }), "g.yml:2:5: items[0].name: is required");
}

// Found by tests/fuzz (config_recording_node): libstdc++ read the back-reference
// number into a long with no overflow check (UB), and copies a repeated atom
// once per count. Such patterns are refused before std::regex compiles them.
std::string RegexError(const std::string& pattern) {
  std::string quoted;
  for (const char c : pattern) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return ErrorOf([&] { ParseDoc("items:\n  - name: a\n    match: '" + quoted + "'\n", "r.yml"); });
}

TEST(YamlReaderTest, RegexBeyondStdRegexLimitsIsRefused) {
  EXPECT_THAT(RegexError("11\\1111111111111111111111111111111111mediamtx$"),
              HasSubstr("r.yml:3:12: items[0].match: regular expression refused: "
                        "back-reference number too large"));
  EXPECT_THAT(RegexError("(a{1000}){1000}"),
              HasSubstr("items[0].match: regular expression refused: repeat counts too large"));
  EXPECT_THAT(RegexError("a{99999999999999999999}"),
              HasSubstr("items[0].match: regular expression refused: repeat count too large"));
  const std::string long_pattern(1025, 'a');
  const std::string error = RegexError(long_pattern);
  EXPECT_THAT(error,
              HasSubstr("items[0].match: regular expression refused: longer than 1024 bytes"));
  EXPECT_THAT(error, ::testing::Not(HasSubstr(long_pattern)));
}

TEST(YamlReaderTest, OrdinaryRegexesStayAccepted) {
  for (const std::string& pattern : std::vector<std::string>{
           "^(nginx|mediamtx)$", "[a{99999}]+", "x{0,1000}", "(ab){2}(cd){3,}", "\\d{1,3}", "\\{",
           "^/dev/(sd[a-z]+|nvme[0-9]+n[0-9]+)$", std::string(1024, 'a')}) {
    EXPECT_EQ(RegexError(pattern), "") << pattern;
  }
}

TEST(YamlReaderTest, EmptyDocumentTakesDefaults) {
  const Doc doc = ParseDoc("", "empty.yml");
  EXPECT_EQ(doc.probes.interval, std::chrono::seconds(10));
  EXPECT_EQ(doc.probes.timeout, std::chrono::seconds(5));
  EXPECT_EQ(doc.probes.concurrency, 8);
  EXPECT_THAT(ErrorOf([] { ParseDoc("- a\n", "list.yml"); }),
              HasSubstr("list.yml:1:1: the document must be a mapping"));
}

TEST(YamlReaderTest, Durations) {
  EXPECT_EQ(ParseDuration("500ms"), std::chrono::milliseconds(500));
  EXPECT_EQ(ParseDuration("1m30s"), std::chrono::milliseconds(90'000));
  EXPECT_EQ(ParseDuration("2h"), std::chrono::milliseconds(7'200'000));
  EXPECT_EQ(ParseDuration("1d"), std::chrono::hours(24));
  EXPECT_EQ(ParseDuration("0"), std::chrono::milliseconds(0));
  EXPECT_FALSE(ParseDuration("10"));
  EXPECT_FALSE(ParseDuration("s"));
  EXPECT_FALSE(ParseDuration("10 s"));
  EXPECT_FALSE(ParseDuration("-5s"));
  EXPECT_FALSE(ParseDuration("1.5s"));
  EXPECT_FALSE(ParseDuration(""));
  EXPECT_FALSE(ParseDuration("9223372036854775808ms"));
  EXPECT_EQ(ParseDuration("9223372036854775807ms"),
            std::chrono::milliseconds(9223372036854775807LL));
}

TEST(YamlReaderTest, FormatDurationIsReadBack) {
  for (const char* text : {"0s", "1ms", "1500ms", "90s", "5m", "1h", "36h", "2d"}) {
    const auto d = ParseDuration(text);
    ASSERT_TRUE(d) << text;
    EXPECT_EQ(FormatDuration(*d), text);
  }
}

}  // namespace
}  // namespace vms
