// The process table, matcher and tracker against the real /proc, with real
// processes started, killed and restarted by the test.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "support/subprocess.h"
#include "vms/base/file.h"
#include "vms/host/process_group_tracker.h"
#include "vms/host/process_matcher.h"
#include "vms/procfs/process_table.h"
#include "vms/procfs/pid_stat.h"

namespace vms {
namespace {

using namespace std::chrono_literals;

class ProcessGroupLiveTest : public ::testing::Test {
 protected:
  // sleep sums its arguments, so a fraction holding this test's pid is a
  // marker no other process on the machine carries.
  ProcessGroupLiveTest()
      : marker_("0.0" + std::to_string(::getpid()) + "1"), matcher_(Config(marker_)) {}

  static ProcessGroupConfig Config(std::string marker) {
    ProcessGroupConfig c;
    c.name = "sleeper";
    marker.replace(marker.find('.'), 1, "\\.");
    c.cmdline = "^/bin/sleep 3600 " + marker + "$";
    return c;
  }

  std::unique_ptr<test::Subprocess> Start() {
    return std::make_unique<test::Subprocess>(
        std::vector<std::string>{"/bin/sleep", "3600", marker_});
  }

  ProcessGroupStats Scrape() {
    auto table = ProcessTable::Read("/proc", matcher_.needs());
    EXPECT_TRUE(table.ok()) << table.error();
    std::vector<const ProcessRecord*> matched;
    if (table.ok()) {
      for (auto& p : table->processes()) {
        if (!matcher_.Matches(p)) continue;
        table->ReadDetails(p);
        matched.push_back(&p);
      }
    }
    const ProcessGroupStats s = tracker_.Observe("sleeper", matched);
    EXPECT_GE(s.cpu_seconds_total, last_cpu_) << "CPU counter went backwards";
    last_cpu_ = s.cpu_seconds_total;
    return s;
  }

  // Scrapes until `done` holds: a fresh child matches only once it has
  // exec'd. Bounded so a broken matcher fails instead of hanging.
  ProcessGroupStats ScrapeUntil(const std::function<bool(const ProcessGroupStats&)>& done) {
    const auto end = std::chrono::steady_clock::now() + 10s;
    ProcessGroupStats s = Scrape();
    while (!done(s) && std::chrono::steady_clock::now() < end) {
      std::this_thread::sleep_for(10ms);
      s = Scrape();
    }
    return s;
  }

  static bool IsZombie(pid_t pid) {
    auto text = ReadFile("/proc/" + std::to_string(pid) + "/stat");
    if (!text) return false;
    auto stat = ParsePidStat(*text);
    return stat.ok() && stat->state == 'Z';
  }

  // Kills the child and checks the group is down both while the child is an
  // unreaped zombie and once it is reaped.
  void KillAndReap(test::Subprocess& child) {
    child.Signal(SIGKILL);
    const auto end = std::chrono::steady_clock::now() + 10s;
    while (!IsZombie(child.pid()) && std::chrono::steady_clock::now() < end) {
      std::this_thread::sleep_for(5ms);
    }
    ASSERT_TRUE(IsZombie(child.pid()));
    EXPECT_FALSE(Scrape().up) << "a zombie is not up";
    ASSERT_NE(child.Wait(10s), -1);
    EXPECT_FALSE(Scrape().up);
  }

  std::string marker_;
  ProcessMatcher matcher_;
  ProcessGroupTracker tracker_;
  double last_cpu_ = 0;
};

TEST_F(ProcessGroupLiveTest, CountsRestartsOfRealProcesses) {
  auto child = Start();
  ProcessGroupStats s = ScrapeUntil([](const ProcessGroupStats& s) { return s.up; });
  ASSERT_TRUE(s.up);
  EXPECT_EQ(s.processes, 1u);
  EXPECT_EQ(s.restarts_total, 0u);
  EXPECT_EQ(s.threads, 1);
  EXPECT_GT(s.resident_bytes, 0u);
  ASSERT_TRUE(s.open_fds.has_value());
  EXPECT_GE(*s.open_fds, 1u);
  EXPECT_GT(s.start_time_seconds, 0);

  for (std::uint64_t restart = 1; restart <= 3; ++restart) {
    KillAndReap(*child);
    child = Start();
    s = ScrapeUntil([](const ProcessGroupStats& s) { return s.up; });
    ASSERT_TRUE(s.up) << "restart " << restart;
    EXPECT_EQ(s.restarts_total, restart);
    // Further scrapes of the same process do not count it again.
    EXPECT_EQ(Scrape().restarts_total, restart);
  }

  KillAndReap(*child);
  child.reset();
  s = Scrape();
  EXPECT_FALSE(s.up);
  EXPECT_EQ(s.processes, 0u);
  EXPECT_EQ(s.restarts_total, 3u);
  EXPECT_EQ(s.threads, 0);
}

}  // namespace
}  // namespace vms
