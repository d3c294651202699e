#include "vms/host/process_classifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

namespace vms {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

ProcessGroupConfig Group(std::string name, std::string comm, std::string exe, std::string cmdline) {
  ProcessGroupConfig c;
  c.name = std::move(name);
  c.comm = std::move(comm);
  c.exe = std::move(exe);
  c.cmdline = std::move(cmdline);
  return c;
}

ProcessRecord Proc(int pid, std::string comm, std::string exe, std::string cmdline) {
  ProcessRecord p;
  p.pid = pid;
  p.start_time_ticks = static_cast<std::uint64_t>(pid) * 10;
  p.comm = std::move(comm);
  p.exe = std::move(exe);
  p.cmdline = std::move(cmdline);
  return p;
}

std::vector<int> Pids(const std::vector<ProcessRecord*>& group) {
  std::vector<int> pids;
  for (const auto* p : group) pids.push_back(p->pid);
  return pids;
}

ProcessClassifier Cameras() {
  std::vector<ProcessMatcher> m;
  m.emplace_back(Group("cam1", "^ffmpeg$", "", "(^|[@/ ])10\\.0\\.0\\.5/s1( |$)"));
  m.emplace_back(Group("cam2", "^ffmpeg$", "", "(^|[@/ ])10\\.0\\.0\\.6/s1( |$)"));
  m.emplace_back(Group("all_ffmpeg", "", "/ffmpeg$", ""));
  return ProcessClassifier(std::move(m));
}

TEST(ProcessClassifierTest, NeedsWhatAnyGroupReads) {
  const ProcessClassifier c = Cameras();
  EXPECT_EQ(c.groups(), 3u);
  EXPECT_TRUE(c.needs().exe);
  EXPECT_TRUE(c.needs().cmdline);
  std::vector<ProcessMatcher> by_comm;
  by_comm.emplace_back(Group("nginx", "^nginx$", "", ""));
  const ProcessClassifier comm_only(std::move(by_comm));
  EXPECT_FALSE(comm_only.needs().exe);
  EXPECT_FALSE(comm_only.needs().cmdline);
}

TEST(ProcessClassifierTest, SortsProcessesIntoEveryGroupTheyMatch) {
  ProcessClassifier c = Cameras();
  std::vector<ProcessRecord> procs = {
      Proc(10, "ffmpeg", "/usr/bin/ffmpeg", "ffmpeg -i rtsp://10.0.0.5/s1 out.ts"),
      Proc(11, "ffmpeg", "/usr/bin/ffmpeg", "ffmpeg -i rtsp://u:p@10.0.0.6/s1 out.ts"),
      Proc(12, "bash", "/usr/bin/bash", "bash -c ffmpeg -i rtsp://10.0.0.5/s1"),
      Proc(13, "ffmpeg", "/usr/bin/ffmpeg", "ffmpeg -i rtsp://10.0.0.5/s1 out.ts"),
  };
  const auto groups = c.Classify(procs);
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_THAT(Pids(groups[0]), ElementsAre(10, 13));
  EXPECT_THAT(Pids(groups[1]), ElementsAre(11));
  EXPECT_THAT(Pids(groups[2]), ElementsAre(10, 11, 13));
  EXPECT_EQ(groups[0][0], &procs[0]);  // pointers into the caller's records
}

TEST(ProcessClassifierTest, RematchesAProcessWhoseCommandLineChanged) {
  ProcessClassifier c = Cameras();
  std::vector<ProcessRecord> procs = {Proc(10, "ffmpeg", "/usr/bin/ffmpeg", "ffmpeg -i x")};
  EXPECT_THAT(c.Classify(procs)[0], IsEmpty());
  // Same pid and start time after exec, now recording camera 1.
  procs[0].cmdline = "ffmpeg -i rtsp://10.0.0.5/s1 out.ts";
  EXPECT_THAT(Pids(c.Classify(procs)[0]), ElementsAre(10));
  procs[0].comm = "ffmpeg-old";
  EXPECT_THAT(c.Classify(procs)[0], IsEmpty());
}

TEST(ProcessClassifierTest, NoGroupsClassifiesNothing) {
  ProcessClassifier c;
  std::vector<ProcessRecord> procs = {Proc(10, "ffmpeg", "", "")};
  EXPECT_TRUE(c.Classify(procs).empty());
}

// Whatever is remembered between calls, every call answers as matching
// from scratch would.
TEST(ProcessClassifierTest, AgreesWithDirectMatchingOverChangingTables) {
  const std::vector<ProcessGroupConfig> configs = {
      Group("cam1", "^ffmpeg$", "", "10\\.0\\.0\\.5"),
      Group("cam2", "", "", "10\\.0\\.0\\.6|/rec/cam2/"),
      Group("nginx", "^nginx$", "/nginx$", ""),
  };
  std::vector<ProcessMatcher> matchers;
  for (const auto& c : configs) matchers.emplace_back(c);
  ProcessClassifier classifier(matchers);

  const std::vector<std::string> comms = {"ffmpeg", "nginx", "bash"};
  const std::vector<std::string> exes = {"/usr/bin/ffmpeg", "/usr/sbin/nginx", ""};
  const std::vector<std::string> cmdlines = {"ffmpeg -i rtsp://10.0.0.5/a", "x /rec/cam2/%d.ts",
                                             "rtsp://10.0.0.6/b", "nginx: worker process", ""};
  std::mt19937 rng(42);
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  for (int round = 0; round < 200; ++round) {
    std::vector<ProcessRecord> procs;
    const int n = static_cast<int>(rng() % 8);
    for (int i = 0; i < n; ++i) procs.push_back(Proc(i, pick(comms), pick(exes), pick(cmdlines)));
    const auto groups = classifier.Classify(procs);
    for (std::size_t g = 0; g < matchers.size(); ++g) {
      std::vector<int> expected;
      for (const auto& p : procs) {
        if (matchers[g].Matches(p)) expected.push_back(p.pid);
      }
      ASSERT_EQ(Pids(groups[g]), expected) << "round " << round << " group " << g;
    }
  }
}

}  // namespace
}  // namespace vms
