// Reload through SIGHUP and POST /-/reload on a real exporter: a good file
// applies, a bad one keeps the old config and says where it is wrong.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <thread>

#include "support/exporter_process.h"
#include "support/http_client.h"
#include "support/metrics_text.h"

namespace vms::test {
namespace {

using ::testing::HasSubstr;

double MetricValue(const std::string& body, const std::string& series) {
  return FindSample(body, series).value_or(-1);
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::trunc) << text;
}

class ReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    config_ = dir_ + "/config.yml";
    WriteFile(config_, "probes:\n  interval: 10s\n");
    exporter_ = std::make_unique<ExporterProcess>(
        "recording_node_exporter", std::vector<std::string>{"--config.file=" + config_});
    ASSERT_TRUE(exporter_->ready()) << exporter_->Log();
  }
  std::string Metrics() { return HttpGet(exporter_->port(), "/metrics").body; }

  std::string dir_, config_;
  std::unique_ptr<ExporterProcess> exporter_;
};

TEST_F(ReloadTest, BadConfigKeepsOldOneAndReportsPosition) {
  const std::string before = Metrics();
  EXPECT_EQ(MetricValue(before, "vms_exporter_config_last_reload_successful"), 1);
  const double first_ts =
      MetricValue(before, "vms_exporter_config_last_reload_success_timestamp_seconds");
  EXPECT_GT(first_ts, 1.6e9);

  WriteFile(config_, "probes:\n  interval: 10s\n  colour: blue\n");
  auto reply = HttpRequestOnce(exporter_->port(), "POST", "/-/reload");
  EXPECT_EQ(reply.status, 500);
  EXPECT_THAT(reply.body, HasSubstr(config_ + ":3:3: probes.colour: unknown key"));
  const std::string after_bad = Metrics();
  EXPECT_EQ(MetricValue(after_bad, "vms_exporter_config_last_reload_successful"), 0);
  EXPECT_EQ(MetricValue(after_bad, "vms_exporter_config_last_reload_success_timestamp_seconds"),
            first_ts);
  EXPECT_EQ(HttpGet(exporter_->port(), "/-/healthy").status, 200);

  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  WriteFile(config_, "probes:\n  interval: 20s\n");
  EXPECT_EQ(HttpRequestOnce(exporter_->port(), "POST", "/-/reload").status, 200);
  const std::string after_good = Metrics();
  EXPECT_EQ(MetricValue(after_good, "vms_exporter_config_last_reload_successful"), 1);
  EXPECT_GT(MetricValue(after_good, "vms_exporter_config_last_reload_success_timestamp_seconds"),
            first_ts);
}

TEST_F(ReloadTest, SighupReloads) {
  WriteFile(config_, "probes: {interval: nonsense}\n");
  exporter_->process().Signal(SIGHUP);
  bool failed = false;
  for (int i = 0; i < 500 && !failed; ++i) {  // up to 10 s on a loaded machine
    failed = MetricValue(Metrics(), "vms_exporter_config_last_reload_successful") == 0;
    if (!failed) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(failed);
  EXPECT_THAT(exporter_->Log(), HasSubstr("probes.interval: invalid duration"));

  WriteFile(config_, "probes: {interval: 30s}\n");
  exporter_->process().Signal(SIGHUP);
  bool ok = false;
  for (int i = 0; i < 500 && !ok; ++i) {
    ok = MetricValue(Metrics(), "vms_exporter_config_last_reload_successful") == 1;
    if (!ok) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(ok);
}

TEST(ConfigCheckTest, ValidatesAndExits) {
  const std::string dir = MakeTempDir();
  WriteFile(dir + "/good.yml", "probes:\n  timeout: 2s\n");
  WriteFile(dir + "/bad.yml", "probes:\n  timeout: 2s\n  extra: 1\n");
  for (const char* bin : {"recording_node_exporter", "streaming_gateway_exporter",
                          "api_server_exporter"}) {
    auto good = RunCommand(BinaryPath(bin) + " --config.check --config.file=" + dir + "/good.yml");
    EXPECT_EQ(good.exit_code, 0) << good.output;
    auto bad = RunCommand(BinaryPath(bin) + " --config.check --config.file=" + dir + "/bad.yml");
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_THAT(bad.output, HasSubstr(dir + "/bad.yml:3:3: probes.extra: unknown key"));
    auto embedded = RunCommand(BinaryPath(bin) + " --config.check");
    EXPECT_EQ(embedded.exit_code, 0) << embedded.output;
    auto missing = RunCommand(BinaryPath(bin) + " --config.check --config.file=/nonexistent.yml");
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_THAT(missing.output, HasSubstr("/nonexistent.yml"));
    auto version = RunCommand(BinaryPath(bin) + " --version");
    EXPECT_EQ(version.exit_code, 0);
    EXPECT_THAT(version.output, HasSubstr(std::string(bin) + ", version "));
    auto bad_flag = RunCommand(BinaryPath(bin) + " --no-such-flag");
    EXPECT_NE(bad_flag.exit_code, 0);
  }
}

TEST(StartupTest, BadConfigAtStartupExitsNonZero) {
  const std::string dir = MakeTempDir();
  WriteFile(dir + "/bad.yml", "probes: 3\n");
  auto r = RunCommand(BinaryPath("recording_node_exporter") +
                      " --web.listen-address=127.0.0.1:0 --config.file=" + dir + "/bad.yml");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output, HasSubstr("bad.yml:1:9: probes: expected a mapping"));
}

TEST(LoggingTest, JsonAndLogfmtFormats) {
  ExporterProcess json("api_server_exporter", {"--log.format=json"});
  ASSERT_TRUE(json.ready());
  EXPECT_THAT(json.Log(), ::testing::ContainsRegex(R"(\{"ts":"[0-9T:.-]+Z","level":"info","msg":")"));
  ExporterProcess logfmt("api_server_exporter", {"--log.level=warn"});
  ASSERT_TRUE(logfmt.ready());
  EXPECT_THAT(logfmt.Log(), ::testing::Not(HasSubstr("level=info")));
  auto bad = RunCommand(BinaryPath("api_server_exporter") + " --log.format=xml");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.output, HasSubstr("--log.format must be logfmt or json"));
}

}  // namespace
}  // namespace vms::test
