#include "vms/host/process_group_collector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>

#include "support/subprocess.h"
#include "vms/metrics/collector_set.h"
#include "vms/metrics/exposition_text.h"

namespace vms {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr double kBootTime = 1763700000;

double Hz() { return static_cast<double>(::sysconf(_SC_CLK_TCK)); }

ProcessGroupConfig Group(std::string name, std::string comm, std::string exe = "",
                         std::string cmdline = "") {
  ProcessGroupConfig c;
  c.name = std::move(name);
  c.comm = std::move(comm);
  c.exe = std::move(exe);
  c.cmdline = std::move(cmdline);
  return c;
}

// The families of one Collect(), by name and label value.
class Scraped {
 public:
  explicit Scraped(ProcessGroupCollector& collector) {
    MetricWriter out(&families_);
    status_ = collector.Collect({std::chrono::steady_clock::now()}, out);
  }
  const Status& status() const { return status_; }
  std::optional<double> Value(const std::string& name, const std::string& group) const {
    for (const auto& f : families_) {
      if (f.name != name) continue;
      for (const auto& m : f.metric) {
        if (m.label.size() == 1 && m.label[0].value == group) {
          return f.type == prometheus::MetricType::Counter ? m.counter.value : m.gauge.value;
        }
      }
    }
    return std::nullopt;
  }
  bool HasFamily(const std::string& name) const {
    for (const auto& f : families_) {
      if (f.name == name) return true;
    }
    return false;
  }

 private:
  std::vector<prometheus::MetricFamily> families_;
  Status status_;
};

std::string FixtureProc() { return test::SourcePath("tests/fixtures/host/proc"); }

TEST(ProcessGroupCollectorTest, ExportsEveryMetricOfAMultiProcessGroup) {
  ProcessGroupCollector collector(FixtureProc());
  collector.Configure({Group("nginx", "^nginx$")});
  Scraped s(collector);
  ASSERT_TRUE(s.status().ok()) << s.status().message();
  EXPECT_EQ(s.Value("service_process_up", "nginx"), 1);
  EXPECT_EQ(s.Value("service_process_cpu_seconds_total", "nginx"), (200 + 1500) / Hz());
  EXPECT_EQ(s.Value("service_process_resident_memory_bytes", "nginx"), (6144 + 10240) * 1024);
  EXPECT_EQ(s.Value("service_process_start_time_seconds", "nginx"), kBootTime + 500 / Hz());
  EXPECT_EQ(s.Value("service_process_restarts_total", "nginx"), 0);
  EXPECT_EQ(s.Value("service_process_open_fds", "nginx"), 6 + 10);
  EXPECT_EQ(s.Value("service_process_threads", "nginx"), 2);
}

TEST(ProcessGroupCollectorTest, AllGivenPatternsMustMatch) {
  ProcessGroupCollector collector(FixtureProc());
  collector.Configure({
      Group("cam1", "", "/ffmpeg$", "rtsp://10\\.0\\.0\\.5:554/stream1"),
      Group("wrong_exe", "", "/nginx$", "rtsp://10\\.0\\.0\\.5:554/stream1"),
      Group("by_output_dir", "^ffmpeg$", "", " /var/lib/vms/recordings/cam1/"),
  });
  Scraped s(collector);
  ASSERT_TRUE(s.status().ok()) << s.status().message();
  EXPECT_EQ(s.Value("service_process_up", "cam1"), 1);
  EXPECT_EQ(s.Value("service_process_threads", "cam1"), 5);
  EXPECT_EQ(s.Value("service_process_up", "wrong_exe"), 0);
  EXPECT_EQ(s.Value("service_process_up", "by_output_dir"), 1);
  EXPECT_EQ(s.Value("service_process_open_fds", "by_output_dir"), 5);
}

TEST(ProcessGroupCollectorTest, ExePatternStillMatchesABinaryUpgradedUnderARunningProcess) {
  ProcessGroupCollector collector(FixtureProc());
  collector.Configure({Group("mediamtx", "", "^/usr/local/bin/mediamtx$")});
  Scraped s(collector);
  EXPECT_EQ(s.Value("service_process_up", "mediamtx"), 1);
}

TEST(ProcessGroupCollectorTest, ZombieCountsForCpuButNotForUpOrThreads) {
  ProcessGroupCollector collector(FixtureProc());
  collector.Configure({Group("ffmpeg", "^ffmpeg$")});  // 2201 live, 2202 zombie
  Scraped s(collector);
  EXPECT_EQ(s.Value("service_process_up", "ffmpeg"), 1);
  EXPECT_EQ(s.Value("service_process_threads", "ffmpeg"), 5);
  EXPECT_EQ(s.Value("service_process_start_time_seconds", "ffmpeg"), kBootTime + 100000 / Hz());
  EXPECT_EQ(s.Value("service_process_cpu_seconds_total", "ffmpeg"), (50000 + 320) / Hz());
}

TEST(ProcessGroupCollectorTest, GroupWithNothingRunningStillHasItsSeries) {
  ProcessGroupCollector collector(FixtureProc());
  collector.Configure({Group("postgres", "^postgres$")});
  Scraped s(collector);
  EXPECT_EQ(s.Value("service_process_up", "postgres"), 0);
  EXPECT_EQ(s.Value("service_process_cpu_seconds_total", "postgres"), 0);
  EXPECT_EQ(s.Value("service_process_restarts_total", "postgres"), 0);
  EXPECT_EQ(s.Value("service_process_threads", "postgres"), 0);
  EXPECT_EQ(s.Value("service_process_open_fds", "postgres"), 0);
}

TEST(ProcessGroupCollectorTest, UnreadableFdDirLeavesOnlyOpenFdsOut) {
  ProcessGroupCollector collector(FixtureProc());
  collector.Configure({Group("mediamtx", "^mediamtx$")});
  Scraped s(collector);
  ASSERT_TRUE(s.status().ok()) << s.status().message();
  EXPECT_EQ(s.Value("service_process_up", "mediamtx"), 1);
  EXPECT_EQ(s.Value("service_process_threads", "mediamtx"), 12);
  EXPECT_EQ(s.Value("service_process_resident_memory_bytes", "mediamtx"), 30000 * 1024);
  EXPECT_EQ(s.Value("service_process_open_fds", "mediamtx"), std::nullopt);
}

TEST(ProcessGroupCollectorTest, ReportsSelfMetricsAndTypesThroughTheCollectorSet) {
  auto collector = std::make_unique<ProcessGroupCollector>(FixtureProc());
  collector->Configure({Group("nginx", "^nginx$")});
  CollectorSet set;
  set.Add(std::move(collector));
  const std::string text = set.Scrape({std::chrono::steady_clock::now()});
  EXPECT_THAT(text, HasSubstr("# TYPE service_process_cpu_seconds_total counter"));
  EXPECT_THAT(text, HasSubstr("# TYPE service_process_restarts_total counter"));
  EXPECT_THAT(text, HasSubstr("# TYPE service_process_up gauge"));
  EXPECT_THAT(text, HasSubstr("service_process_up{service=\"nginx\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("vms_exporter_collector_success{collector=\"processes\"} 1"));
}

TEST(ProcessGroupCollectorTest, PrefixLabelAndNameAreParameters) {
  ProcessGroupCollector collector(FixtureProc(), {"recorders", {"ffmpeg_process", "camera_id"}});
  collector.Configure({Group("cam1", "^ffmpeg$", "", "rtsp://10\\.0\\.0\\.5:554/stream1")});
  EXPECT_EQ(collector.name(), "recorders");
  Scraped s(collector);
  EXPECT_EQ(s.Value("ffmpeg_process_up", "cam1"), 1);
  EXPECT_FALSE(s.HasFamily("service_process_up"));
}

TEST(ProcessGroupCollectorTest, NothingConfiguredWritesNothing) {
  ProcessGroupCollector collector("/nonexistent-procfs");
  Scraped s(collector);
  EXPECT_TRUE(s.status().ok());
  EXPECT_FALSE(s.HasFamily("service_process_up"));
}

TEST(ProcessGroupCollectorTest, UnreadableProcfsFailsTheCollector) {
  ProcessGroupCollector collector("/nonexistent-procfs");
  collector.Configure({Group("nginx", "^nginx$")});
  Scraped s(collector);
  ASSERT_FALSE(s.status().ok());
  EXPECT_THAT(s.status().message(), HasSubstr("/nonexistent-procfs"));
}

// A writable copy of the fixture tree, changed between scrapes.
class ChangingProcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = test::MakeTempDir() + "/proc";
    fs::copy(FixtureProc(), root_, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  }
  void TearDown() override { fs::remove_all(fs::path(root_).parent_path()); }

  // The recorder 2201 restarted under the same pid: a new start time.
  void RestartRecorderUnderSamePid() {
    const std::string path = root_ + "/2201/stat";
    std::ifstream in(path);
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto at = stat.find(" 100000 ");
    ASSERT_NE(at, std::string::npos);
    stat.replace(at, 8, " 300000 ");
    std::ofstream(path, std::ios::trunc) << stat;
  }

  std::string root_;
};

TEST_F(ChangingProcTest, GroupRemovedByReconfigureLosesItsSeriesOthersKeepCounters) {
  ProcessGroupCollector collector(root_);
  collector.Configure({Group("cam1", "^ffmpeg$"), Group("nginx", "^nginx$")});
  Scraped first(collector);
  RestartRecorderUnderSamePid();
  {
    Scraped s(collector);
    EXPECT_EQ(s.Value("service_process_restarts_total", "cam1"), 1);
  }
  collector.Configure({Group("cam1", "^ffmpeg$")});
  {
    Scraped s(collector);
    EXPECT_EQ(s.Value("service_process_restarts_total", "cam1"), 1);
    EXPECT_EQ(s.Value("service_process_up", "nginx"), std::nullopt);
  }
  // Back again: a new group, counted from zero.
  collector.Configure({Group("cam1", "^ffmpeg$"), Group("nginx", "^nginx$")});
  Scraped s(collector);
  EXPECT_EQ(s.Value("service_process_up", "nginx"), 1);
  EXPECT_EQ(s.Value("service_process_restarts_total", "nginx"), 0);
}

TEST_F(ChangingProcTest, ProcessGoneBetweenScrapesKeepsCpuAndIsNotARestart) {
  ProcessGroupCollector collector(root_);
  collector.Configure({Group("mediamtx", "^mediamtx$")});
  const double before = *Scraped(collector).Value("service_process_cpu_seconds_total", "mediamtx");
  fs::remove_all(root_ + "/3301");
  Scraped s(collector);
  ASSERT_TRUE(s.status().ok()) << s.status().message();
  EXPECT_EQ(s.Value("service_process_up", "mediamtx"), 0);
  EXPECT_EQ(s.Value("service_process_cpu_seconds_total", "mediamtx"), before);
  EXPECT_EQ(s.Value("service_process_restarts_total", "mediamtx"), 0);
}

// What a scrape sends, kept between refreshes, against Collect()'s families
// rendered afresh.
TEST_F(ChangingProcTest, BackgroundTextFollowsEveryRefreshAndConfigure) {
  ProcessGroupCollector collector(root_, {.collector_name = "recorders",
                                          .names = {"ffmpeg_process", "camera_id"},
                                          .refresh_in_background = true});
  const ScrapeContext ctx{std::chrono::steady_clock::now()};
  std::vector<std::string> seen;
  auto expect_fresh = [&] {
    std::vector<prometheus::MetricFamily> families;
    MetricWriter writer(&families);
    const Status collected = collector.Collect(ctx, writer);
    std::string fresh;
    AppendFamiliesText(std::move(families), fresh);
    std::string text;
    const Status texted = collector.CollectText(ctx, text);
    EXPECT_EQ(texted.ok(), collected.ok()) << texted.message() << collected.message();
    EXPECT_EQ(text, collected.ok() ? fresh : "");
    seen.push_back(texted.ok() ? text : "error: " + texted.message());
  };
  expect_fresh();  // nothing configured
  collector.Configure({Group("cam1", "^ffmpeg$"), Group("nginx", "^nginx$")});
  expect_fresh();  // configured, not refreshed yet
  ASSERT_TRUE(collector.Refresh().ok());
  expect_fresh();
  expect_fresh();  // reused
  RestartRecorderUnderSamePid();
  ASSERT_TRUE(collector.Refresh().ok());
  expect_fresh();
  collector.Configure({Group("cam1", "^ffmpeg$")});
  expect_fresh();
  fs::rename(root_, root_ + ".gone");
  EXPECT_FALSE(collector.Refresh().ok());
  expect_fresh();  // the refresh's error
  fs::rename(root_ + ".gone", root_);
  ASSERT_TRUE(collector.Refresh().ok());
  expect_fresh();
  // Nothing before the first refresh; after it, every step changed what a
  // scrape says, except the reuse.
  ASSERT_EQ(seen.size(), 8u);
  EXPECT_EQ(seen[0], "");
  EXPECT_EQ(seen[1], "");
  EXPECT_EQ(seen[3], seen[2]);
  for (std::size_t i = 4; i < seen.size(); ++i) EXPECT_NE(seen[i], seen[i - 1]) << "step " << i;
}

TEST(ProcessGroupCollectorTest, LandingPageListsGroups) {
  ProcessGroupCollector collector(FixtureProc());
  collector.Configure({Group("nginx", "^nginx$")});
  Scraped first(collector);
  std::vector<StatusTable> tables;
  collector.AppendStatus(tables);
  ASSERT_EQ(tables.size(), 1u);
  ASSERT_EQ(tables[0].rows.size(), 1u);
  EXPECT_EQ(tables[0].rows[0], (std::vector<std::string>{"nginx", "yes", "2", "0"}));
}

}  // namespace
}  // namespace vms

namespace vms {
namespace {

TEST(ProcessGroupCollectorBackgroundTest, ScrapesWriteWhatTheLastRefreshSaw) {
  ProcessGroupCollector c(test::SourcePath("tests/fixtures/host/proc"),
                          {.collector_name = "recorders",
                           .names = {"ffmpeg_process", "camera_id"},
                           .refresh_in_background = true});
  c.Configure({Group("cam1", "^ffmpeg$", "", "10\\.0\\.0\\.5:554/stream1 ")});
  // No refresh yet: a scrape reads no /proc and writes nothing.
  EXPECT_EQ(Scraped(c).Value("ffmpeg_process_up", "cam1"), std::nullopt);
  ASSERT_TRUE(c.Refresh().ok());
  const Scraped after(c);
  EXPECT_EQ(after.Value("ffmpeg_process_up", "cam1"), 1);
  EXPECT_EQ(after.Value("ffmpeg_process_restarts_total", "cam1"), 0);
  ASSERT_TRUE(after.status().ok());
}

}  // namespace
}  // namespace vms
