#include "vms/app/self_collector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "vms/metrics/exposition_text.h"

namespace vms {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;

std::string Render(Collector& c) {
  std::string out;
  const ScrapeContext ctx{std::chrono::steady_clock::now() + std::chrono::seconds(5)};
  EXPECT_TRUE(c.CollectText(ctx, out).ok());
  return out;
}

TEST(SelfCollectorTest, BuildInfoReloadStateAndProcessMetrics) {
  ReloadState reload;
  reload.last_successful = false;
  reload.last_success_unix_seconds = 1700000000;
  SelfCollector c("api_server", &reload);
  const std::string text = Render(c);
  EXPECT_THAT(text,
              ContainsRegex("vms_exporter_build_info\\{role=\"api_server\",version=\"[^\"]+\","
                            "revision=\"[^\"]+\"\\} 1"));
  EXPECT_THAT(text, HasSubstr("vms_exporter_config_last_reload_successful 0\n"));
  EXPECT_THAT(text,
              HasSubstr("vms_exporter_config_last_reload_success_timestamp_seconds 1700000000\n"));
  for (const char* name : {"process_cpu_seconds_total", "process_resident_memory_bytes",
                           "process_virtual_memory_bytes", "process_start_time_seconds",
                           "process_open_fds", "process_max_fds"}) {
    EXPECT_THAT(text, ContainsRegex(std::string("\n") + name + " [0-9.e+]+\n")) << name;
  }
}

// The start time is boot time plus the process's start ticks: it must be
// close to now for a process started a moment ago.
TEST(SelfCollectorTest, StartTimeIsThisProcesses) {
  SelfCollector c("recording_node", nullptr);
  const std::string text = Render(c);
  const auto at = text.find("\nprocess_start_time_seconds ");
  ASSERT_NE(at, std::string::npos);
  const double start = std::stod(text.substr(at + 28));
  const double now = static_cast<double>(::time(nullptr));
  EXPECT_LE(start, now + 1);
  EXPECT_GT(start, now - 600);
  EXPECT_THAT(text, ::testing::Not(HasSubstr("vms_exporter_config_last_reload")));
}

}  // namespace
}  // namespace vms
