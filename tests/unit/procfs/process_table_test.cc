#include "vms/procfs/process_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "support/subprocess.h"

namespace vms {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr double kBootTime = 1763700000;

std::string FixtureProc() { return test::SourcePath("tests/fixtures/host/proc"); }

double Hz() { return static_cast<double>(::sysconf(_SC_CLK_TCK)); }

const ProcessRecord* FindPid(const ProcessTable& table, int pid) {
  for (const auto& p : table.processes()) {
    if (p.pid == pid) return &p;
  }
  return nullptr;
}

std::vector<int> Pids(const ProcessTable& table) {
  std::vector<int> pids;
  for (const auto& p : table.processes()) pids.push_back(p.pid);
  std::sort(pids.begin(), pids.end());
  return pids;
}

TEST(ProcessTableTest, ListsNumericEntriesAndSkipsOneThatVanished) {
  auto table = ProcessTable::Read(FixtureProc(), {});
  ASSERT_TRUE(table.ok()) << table.error();
  // 4040 has a directory but no stat any more: it exited mid-scan.
  EXPECT_THAT(Pids(*table), ElementsAre(2, 812, 813, 2201, 2202, 3301));
}

TEST(ProcessTableTest, ReadsStatWithTimesConverted) {
  auto table = ProcessTable::Read(FixtureProc(), {});
  ASSERT_TRUE(table.ok()) << table.error();
  const ProcessRecord* p = FindPid(*table, 2201);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->comm, "ffmpeg");
  EXPECT_EQ(p->ppid, 1);
  EXPECT_EQ(p->state, 'S');
  EXPECT_TRUE(p->running());
  EXPECT_EQ(p->start_time_ticks, 100000u);
  EXPECT_DOUBLE_EQ(p->cpu_seconds, 50000 / Hz());
  EXPECT_DOUBLE_EQ(p->start_time_seconds, kBootTime + 100000 / Hz());
  EXPECT_EQ(p->threads, 5);
  // Not asked for: left empty, not read.
  EXPECT_EQ(p->exe, "");
  EXPECT_EQ(p->cmdline, "");
}

TEST(ProcessTableTest, ReadsExeAndCmdlineWhenAsked) {
  auto table = ProcessTable::Read(FixtureProc(), {.exe = true, .cmdline = true});
  ASSERT_TRUE(table.ok()) << table.error();
  const ProcessRecord* ffmpeg = FindPid(*table, 2201);
  ASSERT_NE(ffmpeg, nullptr);
  EXPECT_EQ(ffmpeg->exe, "/usr/bin/ffmpeg");
  EXPECT_THAT(ffmpeg->cmdline, HasSubstr("-rtsp_transport tcp -timeout 5000000 -i "
                                         "rtsp://10.0.0.5:554/stream1 -c copy -f segment"));
  EXPECT_THAT(ffmpeg->cmdline, HasSubstr(" /var/lib/vms/recordings/cam1/%Y%m%d-%H%M%S.ts"));
  EXPECT_EQ(ffmpeg->cmdline.back(), 's');  // trailing NUL dropped

  // mediamtx was upgraded on disk while it runs.
  const ProcessRecord* upgraded = FindPid(*table, 3301);
  ASSERT_NE(upgraded, nullptr);
  EXPECT_EQ(upgraded->exe, "/usr/local/bin/mediamtx");

  // Kernel threads and zombies have neither.
  for (int pid : {2, 2202}) {
    const ProcessRecord* p = FindPid(*table, pid);
    ASSERT_NE(p, nullptr) << pid;
    EXPECT_EQ(p->exe, "") << pid;
    EXPECT_EQ(p->cmdline, "") << pid;
  }
}

TEST(ProcessTableTest, ZombieIsNotRunning) {
  auto table = ProcessTable::Read(FixtureProc(), {});
  ASSERT_TRUE(table.ok()) << table.error();
  ProcessRecord* zombie = nullptr;
  for (auto& p : table->processes()) {
    if (p.pid == 2202) zombie = &p;
  }
  ASSERT_NE(zombie, nullptr);
  EXPECT_EQ(zombie->state, 'Z');
  EXPECT_FALSE(zombie->running());
  table->ReadDetails(*zombie);
  EXPECT_EQ(zombie->resident_bytes, 0u);  // a zombie's status has no VmRSS
}

TEST(ProcessTableTest, DetailsGiveResidentMemoryAndOpenFds) {
  auto table = ProcessTable::Read(FixtureProc(), {});
  ASSERT_TRUE(table.ok()) << table.error();
  for (auto& p : table->processes()) table->ReadDetails(p);
  const ProcessRecord* ffmpeg = FindPid(*table, 2201);
  ASSERT_NE(ffmpeg, nullptr);
  EXPECT_EQ(ffmpeg->resident_bytes, 51200u * 1024);
  EXPECT_EQ(ffmpeg->open_fds, 5u);
  const ProcessRecord* worker = FindPid(*table, 813);
  ASSERT_NE(worker, nullptr);
  EXPECT_EQ(worker->open_fds, 10u);
}

TEST(ProcessTableTest, UnreadableFdDirLeavesOpenFdsOut) {
  auto table = ProcessTable::Read(FixtureProc(), {});
  ASSERT_TRUE(table.ok()) << table.error();
  ProcessRecord* mediamtx = nullptr;
  for (auto& p : table->processes()) {
    if (p.pid == 3301) mediamtx = &p;
  }
  ASSERT_NE(mediamtx, nullptr);
  // 3301's fd/ cannot be listed, as for another user's process when not root.
  table->ReadDetails(*mediamtx);
  EXPECT_FALSE(mediamtx->open_fds.has_value());
  EXPECT_EQ(mediamtx->resident_bytes, 30000u * 1024);
}

TEST(ProcessTableTest, DetailsOfAProcessThatVanishedAreEmpty) {
  auto table = ProcessTable::Read(FixtureProc(), {});
  ASSERT_TRUE(table.ok()) << table.error();
  ProcessRecord gone;
  gone.pid = 4040;
  gone.resident_bytes = 123;
  gone.open_fds = 7;
  table->ReadDetails(gone);
  EXPECT_EQ(gone.resident_bytes, 0u);
  EXPECT_FALSE(gone.open_fds.has_value());
}

TEST(ProcessTableTest, NoBootTimeIsAnError) {
  const std::string dir = test::MakeTempDir();
  std::ofstream(dir + "/stat") << "cpu  1 2 3 4\nctxt 5\n";
  auto table = ProcessTable::Read(dir, {});
  EXPECT_FALSE(table.ok());
  EXPECT_THAT(table.error(), HasSubstr("btime"));
  std::filesystem::remove_all(dir);
}

TEST(ProcessTableTest, MissingProcfsIsAnError) {
  auto table = ProcessTable::Read("/nonexistent-procfs", {});
  ASSERT_FALSE(table.ok());
  EXPECT_THAT(table.error(), HasSubstr("/nonexistent-procfs/stat"));
}

TEST(ProcessTableTest, ReadsTheRealProcIncludingThisProcess) {
  auto table = ProcessTable::Read("/proc", {.exe = true, .cmdline = true});
  ASSERT_TRUE(table.ok()) << table.error();
  ProcessRecord* self = nullptr;
  for (auto& p : table->processes()) {
    if (p.pid == ::getpid()) self = &p;
  }
  ASSERT_NE(self, nullptr);
  EXPECT_THAT(self->cmdline, HasSubstr("process_table_test"));
  EXPECT_THAT(self->exe, HasSubstr("process_table_test"));
  EXPECT_TRUE(self->running());
  table->ReadDetails(*self);
  EXPECT_GT(self->resident_bytes, 0u);
  ASSERT_TRUE(self->open_fds.has_value());
  EXPECT_GE(*self->open_fds, 3u);
}

TEST(JoinCmdlineTest, JoinsArgumentsWithSpaces) {
  using namespace std::string_literals;
  EXPECT_EQ(JoinCmdline("ffmpeg\0-i\0rtsp://cam/1\0"s), "ffmpeg -i rtsp://cam/1");
  EXPECT_EQ(JoinCmdline("nginx: worker process"s), "nginx: worker process");  // rewritten argv
  EXPECT_EQ(JoinCmdline(""), "");
  EXPECT_EQ(JoinCmdline("a\0\0\0"s), "a");
}

TEST(ParseStatusRssBytesTest, ReadsVmRssInBytes) {
  EXPECT_EQ(ParseStatusRssBytes("Name:\tx\nVmHWM:\t  9 kB\nVmRSS:\t   51200 kB\nThreads:\t1\n"),
            51200u * 1024);
  EXPECT_FALSE(ParseStatusRssBytes("Name:\tx\nState:\tZ (zombie)\nThreads:\t1\n").has_value());
  EXPECT_FALSE(ParseStatusRssBytes("VmRSS:\t  12 MB\n").has_value());
  EXPECT_FALSE(ParseStatusRssBytes("VmRSS:\t  x kB\n").has_value());
}

}  // namespace
}  // namespace vms
