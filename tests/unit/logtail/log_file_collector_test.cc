#include "vms/logtail/log_file_collector.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/metrics_text.h"
#include "support/subprocess.h"

namespace vms {
namespace {

std::string Render(LogFileCollector& c) {
  std::string text;
  EXPECT_TRUE(c.CollectText(ScrapeContext{std::chrono::steady_clock::now()}, text).ok());
  return text;
}

TEST(LogFileCollectorTest, WritesEverySeriesOfEverySource) {
  LogFollowerStats busy;
  busy.lines = 1000;
  busy.bytes = 123456;
  busy.parse_errors = 3;
  busy.lines_too_long = 2;
  busy.lines_incomplete = 1;
  busy.rotations_rename = 4;
  busy.rotations_truncate = 5;
  busy.lag_bytes = 77;
  busy.lag_seconds = 1.5;
  busy.file_present = true;
  LogFileCollector c("access_log", [&] {
    return std::vector<NamedLogStats>{{"gateway", busy}, {"api \"x\"", LogFollowerStats{}}};
  });
  EXPECT_EQ(c.name(), "access_log");
  const std::string text = Render(c);
  using test::FindSample;
  EXPECT_EQ(FindSample(text, R"(vms_exporter_log_file_present{file="gateway"})"), 1);
  EXPECT_EQ(FindSample(text, R"(vms_exporter_log_lines_total{file="gateway"})"), 1000);
  EXPECT_EQ(FindSample(text, R"(vms_exporter_log_read_bytes_total{file="gateway"})"), 123456);
  EXPECT_EQ(FindSample(text, R"(vms_exporter_log_parse_errors_total{file="gateway"})"), 3);
  EXPECT_EQ(
      FindSample(text, R"(vms_exporter_log_lines_dropped_total{file="gateway",reason="too_long"})"),
      2);
  EXPECT_EQ(
      FindSample(text,
                 R"(vms_exporter_log_lines_dropped_total{file="gateway",reason="incomplete"})"),
      1);
  EXPECT_EQ(FindSample(text, R"(vms_exporter_log_lag_bytes{file="gateway"})"), 77);
  EXPECT_EQ(FindSample(text, R"(vms_exporter_log_lag_seconds{file="gateway"})"), 1.5);
  EXPECT_EQ(FindSample(text, R"(vms_exporter_log_rotations_total{file="gateway",kind="rename"})"),
            4);
  EXPECT_EQ(FindSample(text, R"(vms_exporter_log_rotations_total{file="gateway",kind="truncate"})"),
            5);
  // A quiet or missing source has its series at 0, not absent.
  EXPECT_EQ(FindSample(text, R"(vms_exporter_log_file_present{file="api \"x\""})"), 0);
  EXPECT_EQ(FindSample(text, R"(vms_exporter_log_lines_total{file="api \"x\""})"), 0);

  const std::string path = test::MakeTempDir() + "/metrics.prom";
  std::ofstream(path) << text;
  auto check = test::RunCommand("promtool check metrics < " + path);
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_EQ(check.output, "") << text;
}

TEST(LogFileCollectorTest, NoSourcesNoFamilies) {
  LogFileCollector c("access_log", [] { return std::vector<NamedLogStats>{}; });
  EXPECT_EQ(Render(c), "");
}

}  // namespace
}  // namespace vms
