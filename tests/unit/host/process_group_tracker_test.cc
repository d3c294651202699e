#include "vms/host/process_group_tracker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "vms/host/process_matcher.h"

namespace vms {
namespace {

ProcessRecord Proc(int pid, std::uint64_t start_ticks, std::string comm, double cpu, int ppid = 1,
                   char state = 'S') {
  ProcessRecord p;
  p.pid = pid;
  p.ppid = ppid;
  p.start_time_ticks = start_ticks;
  p.start_time_seconds = 1000 + static_cast<double>(start_ticks) / 100;
  p.comm = std::move(comm);
  p.cpu_seconds = cpu;
  p.state = state;
  p.threads = 2;
  p.resident_bytes = 1000;
  p.open_fds = 10;
  return p;
}

// One scrape: matches `all` against the group's config, as the collector
// does, and feeds the tracker.
class TrackerHarness {
 public:
  explicit TrackerHarness(ProcessGroupConfig config) : matcher_(config), key_(config.name) {}
  const ProcessGroupStats& Scrape(const std::vector<ProcessRecord>& all) {
    std::vector<const ProcessRecord*> matched;
    for (const auto& p : all) {
      if (matcher_.Matches(p)) matched.push_back(&p);
    }
    return tracker_.Observe(key_, matched);
  }
  ProcessGroupTracker& tracker() { return tracker_; }

 private:
  ProcessMatcher matcher_;
  std::string key_;
  ProcessGroupTracker tracker_;
};

ProcessGroupConfig ByComm(std::string name, std::string comm) {
  ProcessGroupConfig c;
  c.name = std::move(name);
  c.comm = std::move(comm);
  return c;
}

ProcessGroupConfig Ffmpeg() { return ByComm("cam1", "^ffmpeg$"); }

TEST(ProcessGroupTrackerTest, FirstProcessSeenIsNotARestart) {
  TrackerHarness h(Ffmpeg());
  const auto& s = h.Scrape({Proc(100, 5000, "ffmpeg", 1.5)});
  EXPECT_TRUE(s.up);
  EXPECT_EQ(s.restarts_total, 0u);
  EXPECT_EQ(s.processes, 1u);
  EXPECT_DOUBLE_EQ(s.cpu_seconds_total, 1.5);
  EXPECT_EQ(h.Scrape({Proc(100, 5000, "ffmpeg", 2.5)}).restarts_total, 0u);
}

TEST(ProcessGroupTrackerTest, FirstProcessAfterNothingRanIsNotARestart) {
  TrackerHarness h(Ffmpeg());
  EXPECT_FALSE(h.Scrape({Proc(7, 10, "bash", 1)}).up);
  const auto& s = h.Scrape({Proc(100, 5000, "ffmpeg", 1)});
  EXPECT_TRUE(s.up);
  EXPECT_EQ(s.restarts_total, 0u);
}

TEST(ProcessGroupTrackerTest, PidReusedByAnotherProgramIsNotARestart) {
  TrackerHarness h(Ffmpeg());
  h.Scrape({Proc(4242, 1000, "ffmpeg", 30)});
  // ffmpeg exited; the kernel handed its pid to a shell.
  const auto& s = h.Scrape({Proc(4242, 9000, "bash", 0.1)});
  EXPECT_FALSE(s.up);
  EXPECT_EQ(s.restarts_total, 0u);
  EXPECT_DOUBLE_EQ(s.cpu_seconds_total, 30);
}

TEST(ProcessGroupTrackerTest, SamePidWithNewStartTimeIsARestart) {
  TrackerHarness h(Ffmpeg());
  h.Scrape({Proc(4242, 1000, "ffmpeg", 30)});
  // A pid-only tracker would see nothing happen here.
  const auto& s = h.Scrape({Proc(4242, 9000, "ffmpeg", 0.5)});
  EXPECT_TRUE(s.up);
  EXPECT_EQ(s.restarts_total, 1u);
  EXPECT_DOUBLE_EQ(s.cpu_seconds_total, 30.5);
}

TEST(ProcessGroupTrackerTest, RestartIsCountedOnceAndDownTimeInBetweenCounts) {
  TrackerHarness h(Ffmpeg());
  h.Scrape({Proc(100, 1000, "ffmpeg", 1)});
  EXPECT_FALSE(h.Scrape({}).up);
  EXPECT_EQ(h.Scrape({}).restarts_total, 0u);
  EXPECT_EQ(h.Scrape({Proc(200, 3000, "ffmpeg", 1)}).restarts_total, 1u);
  EXPECT_EQ(h.Scrape({Proc(200, 3000, "ffmpeg", 2)}).restarts_total, 1u);
  EXPECT_EQ(h.Scrape({Proc(300, 4000, "ffmpeg", 1)}).restarts_total, 2u);
}

TEST(ProcessGroupTrackerTest, CpuStaysMonotonicAcrossRestarts) {
  TrackerHarness h(Ffmpeg());
  EXPECT_DOUBLE_EQ(h.Scrape({Proc(100, 1000, "ffmpeg", 10)}).cpu_seconds_total, 10);
  EXPECT_DOUBLE_EQ(h.Scrape({Proc(100, 1000, "ffmpeg", 25)}).cpu_seconds_total, 25);
  // Restarted: the new process starts again near zero.
  EXPECT_DOUBLE_EQ(h.Scrape({Proc(101, 2000, "ffmpeg", 2)}).cpu_seconds_total, 27);
  EXPECT_DOUBLE_EQ(h.Scrape({Proc(101, 2000, "ffmpeg", 5)}).cpu_seconds_total, 30);
  EXPECT_DOUBLE_EQ(h.Scrape({}).cpu_seconds_total, 30);
  EXPECT_DOUBLE_EQ(h.Scrape({Proc(102, 3000, "ffmpeg", 1)}).cpu_seconds_total, 31);
}

TEST(ProcessGroupTrackerTest, CpuNeverDecreasesEvenIfAProcessReportsLess) {
  TrackerHarness h(Ffmpeg());
  h.Scrape({Proc(100, 1000, "ffmpeg", 10)});
  EXPECT_DOUBLE_EQ(h.Scrape({Proc(100, 1000, "ffmpeg", 9)}).cpu_seconds_total, 10);
}

TEST(ProcessGroupTrackerTest, ZombieIsNotUp) {
  TrackerHarness h(Ffmpeg());
  h.Scrape({Proc(100, 1000, "ffmpeg", 4)});
  const auto& s = h.Scrape({Proc(100, 1000, "ffmpeg", 4.5, 1, 'Z')});
  EXPECT_FALSE(s.up);
  EXPECT_EQ(s.processes, 0u);
  EXPECT_EQ(s.resident_bytes, 0u);
  EXPECT_EQ(s.threads, 0);
  EXPECT_DOUBLE_EQ(s.start_time_seconds, 0);
  EXPECT_EQ(s.restarts_total, 0u);
  EXPECT_DOUBLE_EQ(s.cpu_seconds_total, 4.5);
  EXPECT_FALSE(h.Scrape({Proc(100, 1000, "ffmpeg", 4.5, 1, 'X')}).up);
}

TEST(ProcessGroupTrackerTest, ZombieBesideALiveProcessLeavesItUp) {
  TrackerHarness h(Ffmpeg());
  const auto& s = h.Scrape({Proc(100, 1000, "ffmpeg", 4, 1, 'Z'), Proc(101, 2000, "ffmpeg", 1)});
  EXPECT_TRUE(s.up);
  EXPECT_EQ(s.processes, 1u);
  EXPECT_EQ(s.threads, 2);
  EXPECT_DOUBLE_EQ(s.start_time_seconds, 1020);
}

TEST(ProcessGroupTrackerTest, WorkersForkedByTheGroupAreNotRestarts) {
  TrackerHarness h(ByComm("nginx", "^nginx$"));
  h.Scrape({Proc(812, 500, "nginx", 1), Proc(813, 510, "nginx", 1, 812)});
  // nginx -s reload: the master replaces its workers.
  auto s = h.Scrape({Proc(812, 500, "nginx", 1), Proc(900, 8000, "nginx", 0, 812),
                     Proc(901, 8000, "nginx", 0, 812)});
  EXPECT_EQ(s.restarts_total, 0u);
  EXPECT_EQ(s.processes, 3u);
  EXPECT_DOUBLE_EQ(s.start_time_seconds, 1005);  // the master, the oldest
  // systemctl restart nginx: a new master (and its workers) is one restart.
  s = h.Scrape({Proc(950, 9000, "nginx", 0), Proc(951, 9001, "nginx", 0, 950)});
  EXPECT_EQ(s.restarts_total, 1u);
  EXPECT_DOUBLE_EQ(s.start_time_seconds, 1090);
}

TEST(ProcessGroupTrackerTest, SumsRunningProcessesAndLeavesFdsOutWhenOneIsUnreadable) {
  TrackerHarness h(ByComm("nginx", "^nginx$"));
  auto master = Proc(812, 500, "nginx", 1);
  auto worker = Proc(813, 510, "nginx", 1, 812);
  worker.open_fds = 32;
  auto s = h.Scrape({master, worker});
  EXPECT_EQ(s.resident_bytes, 2000u);
  EXPECT_EQ(s.threads, 4);
  EXPECT_EQ(s.open_fds, 42u);
  worker.open_fds.reset();
  s = h.Scrape({master, worker});
  EXPECT_FALSE(s.open_fds.has_value());
  // Nothing running: zero fds, known.
  EXPECT_EQ(h.Scrape({}).open_fds, 0u);
}

TEST(ProcessGroupTrackerTest, RetainDropsRemovedGroupsAndKeepsTheOthersCounters) {
  ProcessGroupTracker tracker;
  const auto a1 = Proc(1, 1, "a", 5);
  const auto a2 = Proc(2, 2, "a", 1);
  const ProcessRecord* first[] = {&a1};
  const ProcessRecord* second[] = {&a2};
  tracker.Observe("a", first);
  tracker.Observe("b", first);
  tracker.Observe("a", second);
  tracker.Observe("b", second);
  tracker.Retain({"a"});
  ASSERT_NE(tracker.Find("a"), nullptr);
  EXPECT_EQ(tracker.Find("a")->restarts_total, 1u);
  EXPECT_EQ(tracker.Find("b"), nullptr);
  // Re-added later, it starts over.
  EXPECT_EQ(tracker.Observe("b", second).restarts_total, 0u);
  EXPECT_DOUBLE_EQ(tracker.Find("b")->cpu_seconds_total, 1);
}

TEST(ProcessGroupTrackerTest, WritesFamiliesWithTheGivenPrefixAndLabel) {
  ProcessGroupTracker tracker;
  auto live = Proc(2201, 100000, "ffmpeg", 500);
  live.resident_bytes = 52428800;
  const ProcessRecord* matched[] = {&live};
  tracker.Observe("cam1", matched);
  auto unreadable = Proc(2300, 100, "ffmpeg", 1);
  unreadable.open_fds.reset();
  const ProcessRecord* matched2[] = {&unreadable};
  tracker.Observe("cam2", matched2);
  tracker.Observe("cam3", {});

  std::vector<prometheus::MetricFamily> families;
  MetricWriter out(&families);
  tracker.Write(out, {"ffmpeg_process", "camera_id"});
  auto value = [&](const std::string& name, const std::string& cam) -> std::optional<double> {
    for (const auto& f : families) {
      if (f.name != name) continue;
      for (const auto& m : f.metric) {
        if (m.label.size() == 1 && m.label[0].name == "camera_id" && m.label[0].value == cam) {
          return f.type == prometheus::MetricType::Counter ? m.counter.value : m.gauge.value;
        }
      }
    }
    return std::nullopt;
  };
  EXPECT_EQ(families.size(), 7u);
  EXPECT_EQ(value("ffmpeg_process_up", "cam1"), 1);
  EXPECT_EQ(value("ffmpeg_process_cpu_seconds_total", "cam1"), 500);
  EXPECT_EQ(value("ffmpeg_process_resident_memory_bytes", "cam1"), 52428800);
  EXPECT_EQ(value("ffmpeg_process_start_time_seconds", "cam1"), 2000);
  EXPECT_EQ(value("ffmpeg_process_restarts_total", "cam1"), 0);
  EXPECT_EQ(value("ffmpeg_process_open_fds", "cam1"), 10);
  EXPECT_EQ(value("ffmpeg_process_threads", "cam1"), 2);
  EXPECT_EQ(value("ffmpeg_process_open_fds", "cam2"), std::nullopt);
  EXPECT_EQ(value("ffmpeg_process_up", "cam3"), 0);
  EXPECT_EQ(value("ffmpeg_process_cpu_seconds_total", "cam3"), 0);
  EXPECT_EQ(value("ffmpeg_process_threads", "cam3"), 0);
}

}  // namespace
}  // namespace vms
