#include "vms/config/config_holder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace vms {
namespace {

using ::testing::HasSubstr;

// A config of one number, with a parser that fails in every way a parser
// can: a ConfigError, a library exception it did not catch, or garbage.
struct NumberConfig {
  int value = 0;
};

NumberConfig ParseNumberConfig(const std::string& text, const std::string& file) {
  MapReader root(ParseYaml(text, file), file, "");
  NumberConfig c;
  c.value = static_cast<int>(root.Integer("value", 0));
  if (c.value == 13) throw std::out_of_range("stod");  // a bug in a parser, not bad input
  root.Finish();
  return c;
}

class ConfigHolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("config_holder_test." + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "c.yml").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& text) { std::ofstream(path_) << text; }

  std::filesystem::path dir_;
  std::string path_;
  ReloadState state_;
};

TEST_F(ConfigHolderTest, EmbeddedDefaultWithoutAFile) {
  ConfigHolder<NumberConfig> holder(&ParseNumberConfig, "value: 7\n", "", &state_);
  int seen = 0;
  holder.Subscribe([&](const NumberConfig& c) { seen = c.value; });
  ASSERT_TRUE(holder.Reload().ok());
  EXPECT_EQ(seen, 7);
  EXPECT_TRUE(state_.last_successful);
  EXPECT_GT(state_.last_success_unix_seconds.load(), 0);
}

TEST_F(ConfigHolderTest, ABadReloadKeepsTheOldConfigAndSaysWhy) {
  Write("value: 1\n");
  ConfigHolder<NumberConfig> holder(&ParseNumberConfig, "", path_, &state_);
  std::vector<int> seen;
  holder.Subscribe([&](const NumberConfig& c) { seen.push_back(c.value); });
  ASSERT_TRUE(holder.Reload().ok());

  Write("value: 1\nbogus: 2\n");
  const Status bad = holder.Reload();
  EXPECT_FALSE(bad.ok());
  EXPECT_THAT(bad.message(), HasSubstr(path_ + ":2:1: bogus: unknown key"));
  EXPECT_FALSE(state_.last_successful);
  EXPECT_EQ(seen, std::vector<int>{1});  // subscribers were not told

  Write("value: 2\n");
  ASSERT_TRUE(holder.Reload().ok());
  EXPECT_TRUE(state_.last_successful);
  EXPECT_EQ(seen, (std::vector<int>{1, 2}));
}

// Before, only ConfigError was caught: anything else a parser threw went
// through the SIGHUP handler and terminated the exporter.
TEST_F(ConfigHolderTest, AnyExceptionFromTheParserIsAnError) {
  Write("value: 13\n");
  ConfigHolder<NumberConfig> holder(&ParseNumberConfig, "", path_, &state_);
  const Status s = holder.Reload();
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr(path_ + ": stod"));
  EXPECT_FALSE(state_.last_successful);
}

TEST_F(ConfigHolderTest, AMissingFileNamesIt) {
  ConfigHolder<NumberConfig> holder(&ParseNumberConfig, "", (dir_ / "missing.yml").string(),
                                    &state_);
  const auto parsed = holder.Parse();
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.error(), HasSubstr("missing.yml"));
  EXPECT_THAT(parsed.error(), HasSubstr("No such file"));
}

}  // namespace
}  // namespace vms
