#include "vms/config/yaml_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "recording_node/role.h"

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

TEST(YamlReaderTest, UnknownKeyNamesFileLineColumnAndPath) {
  const std::string text = "probes:\n  interval: 10s\n  intervall: 5s\n";
  const auto err = ErrorOf([&] { recording_node::Role::Parse(text, "rec.yml"); });
  EXPECT_EQ(err, "rec.yml:3:3: probes.intervall: unknown key");
}

TEST(YamlReaderTest, UnknownTopLevelKey) {
  const auto err = ErrorOf([] { recording_node::Role::Parse("bogus: 1\n", "a.yml"); });
  EXPECT_EQ(err, "a.yml:1:1: bogus: unknown key");
}

TEST(YamlReaderTest, BadValuesNameTheKeyAndPosition) {
  EXPECT_THAT(ErrorOf([] { recording_node::Role::Parse("probes:\n  timeout: soon\n", "b.yml"); }),
              HasSubstr("b.yml:2:12: probes.timeout: invalid duration \"soon\""));
  EXPECT_THAT(
      ErrorOf([] { recording_node::Role::Parse("probes:\n  concurrency: 0\n", "b.yml"); }),
      HasSubstr("b.yml:2:16: probes.concurrency: must be between 1 and 1024"));
  EXPECT_THAT(
      ErrorOf([] { recording_node::Role::Parse("probes:\n  concurrency: many\n", "b.yml"); }),
      HasSubstr("probes.concurrency: expected an integer"));
  EXPECT_THAT(ErrorOf([] { recording_node::Role::Parse("probes: [1, 2]\n", "b.yml"); }),
              HasSubstr("b.yml:1:9: probes: expected a mapping"));
  EXPECT_THAT(ErrorOf([] {
                recording_node::Role::Parse("probes:\n  interval: 1s\n  timeout: 2s\n", "c.yml");
              }),
              HasSubstr("c.yml:3:12: probes.timeout: must not exceed interval"));
}

TEST(YamlReaderTest, SyntaxErrorHasPosition) {
  const auto err = ErrorOf([] { recording_node::Role::Parse("probes:\n  interval: [10s\n", "d.yml"); });
  EXPECT_THAT(err, HasSubstr("d.yml:"));
  EXPECT_THAT(err, ::testing::MatchesRegex("d\\.yml:[0-9]+:[0-9]+: .*"));
}

TEST(YamlReaderTest, ListItemsAreAddressedByIndex) {
  const std::string text =
      "host:\n  services:\n    - name: nginx\n      comm: ^nginx$\n    - name: api\n      "
      "cmd: x\n";
  EXPECT_EQ(ErrorOf([&] { recording_node::Role::Parse(text, "e.yml"); }),
            "e.yml:6:7: host.services[1].cmd: unknown key");
  EXPECT_THAT(ErrorOf([] {
                recording_node::Role::Parse("host:\n  network:\n    interfaces_exclude: '(['\n",
                                            "f.yml");
              }),
              HasSubstr("f.yml:3:25: host.network.interfaces_exclude: invalid regular expression"));
}

TEST(YamlReaderTest, DefaultsAndEmbeddedConfigParse) {
  auto config = recording_node::Role::Parse(recording_node::Role::kDefaultConfig, "<embedded>");
  EXPECT_EQ(config.probes.interval, std::chrono::seconds(10));
  EXPECT_EQ(config.probes.timeout, std::chrono::seconds(5));
  auto empty = recording_node::Role::Parse("", "empty.yml");
  EXPECT_EQ(empty.probes.concurrency, 8);
}

TEST(YamlReaderTest, Durations) {
  EXPECT_EQ(ParseDuration("500ms"), std::chrono::milliseconds(500));
  EXPECT_EQ(ParseDuration("1m30s"), std::chrono::milliseconds(90'000));
  EXPECT_EQ(ParseDuration("2h"), std::chrono::milliseconds(7'200'000));
  EXPECT_EQ(ParseDuration("0"), std::chrono::milliseconds(0));
  EXPECT_FALSE(ParseDuration("10"));
  EXPECT_FALSE(ParseDuration("s"));
  EXPECT_FALSE(ParseDuration("10 s"));
  EXPECT_FALSE(ParseDuration(""));
}

}  // namespace
}  // namespace vms
