#include "vms/accesslog/access_log_reader.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>

#include "support/metrics_text.h"
#include "support/subprocess.h"
#include "vms/base/file.h"

namespace vms {
namespace {

namespace fs = std::filesystem;

void Append(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::app) << text;
}

TEST(AccessLogReaderTest, ParsesEachSourceInItsFormatAndCountsWhatDoesNotParse) {
  const std::string dir = test::MakeTempDir();
  const std::string fixtures = test::SourcePath("tests/fixtures/accesslog/");
  AccessLogSourceConfig vms;
  vms.path = dir + "/vms.log";
  vms.name = "gateway";
  vms.follower.start_at_end = false;
  vms.follower.poll_interval = std::chrono::milliseconds(0);
  AccessLogSourceConfig combined = vms;
  combined.path = dir + "/combined.log";
  combined.name = "api";
  combined.format = AccessLogFormat::kCombined;
  fs::copy_file(fixtures + "nginx-vms.log", vms.path);
  fs::copy_file(fixtures + "nginx-combined.log", combined.path);

  std::mutex mu;
  std::vector<std::pair<std::size_t, std::string>> seen;  // (source, path)
  AccessLogReader reader({vms, combined},
                         [&](std::size_t index, const AccessLogSourceConfig& source,
                             std::span<const AccessRecord> records) {
                           std::lock_guard lock(mu);
                           EXPECT_EQ(source.name, index == 0 ? "gateway" : "api");
                           for (const auto& r : records) seen.emplace_back(index, r.path);
                         });
  reader.Poll();
  ASSERT_EQ(seen.size(), 2u * 19);
  EXPECT_EQ(seen[0], (std::pair<std::size_t, std::string>{0, "/hls/cam1/index.m3u8"}));
  EXPECT_EQ(seen[19], (std::pair<std::size_t, std::string>{1, "/hls/cam1/index.m3u8"}));

  // Garbage, a line in the other format and a cut-short line are parse errors.
  const std::string other = *ReadFile(combined.path);
  Append(vms.path, "garbage\n" + other.substr(0, other.find('\n') + 1));
  const std::string first = ReadFile(fixtures + "nginx-vms.log")->substr(0, 60);
  Append(vms.path, first + "\n");
  reader.Poll();
  EXPECT_EQ(seen.size(), 2u * 19);
  auto stats = reader.Stats();
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_EQ(stats[0].file, "gateway");
  EXPECT_EQ(stats[0].stats.lines, 19u + 3);
  EXPECT_EQ(stats[0].stats.parse_errors, 3u);
  EXPECT_EQ(stats[1].stats.parse_errors, 0u);

  auto collector = reader.MakeCollector();
  std::string text;
  ASSERT_TRUE(collector->CollectText(ScrapeContext{std::chrono::steady_clock::now()}, text).ok());
  EXPECT_EQ(test::FindSample(text, R"(vms_exporter_log_parse_errors_total{file="gateway"})"), 3);
  EXPECT_EQ(test::FindSample(text, R"(vms_exporter_log_lines_total{file="api"})"), 19);
  const std::string prom = dir + "/metrics.prom";
  std::ofstream(prom) << text;
  auto check = test::RunCommand("promtool check metrics < " + prom);
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_EQ(check.output, "");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace vms
