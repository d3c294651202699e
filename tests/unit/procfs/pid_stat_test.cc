#include "vms/procfs/pid_stat.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vms {
namespace {

// 52 fields as Linux 6.x writes them; comm is field 2.
std::string StatLine(const std::string& comm) {
  return "4242 (" + comm +
         ") S 1 4242 4242 0 -1 4194560 1200 0 3 0 250 75 0 0 20 0 7 0 123456 "
         "987654321 2048 18446744073709551615 1 1 0 0 0 0 0 4096 16384 0 0 0 17 1 0 0 0 0 0 "
         "0 0 0 0 0 0 0 0\n";
}

TEST(PidStatTest, ReadsTheFieldsThisProjectUses) {
  const auto st = ParsePidStat(StatLine("ffmpeg"));
  ASSERT_TRUE(st.ok()) << st.error();
  EXPECT_EQ(st->pid, 4242);
  EXPECT_EQ(st->comm, "ffmpeg");
  EXPECT_EQ(st->state, 'S');
  EXPECT_EQ(st->ppid, 1);
  EXPECT_EQ(st->utime_ticks, 250u);
  EXPECT_EQ(st->stime_ticks, 75u);
  EXPECT_EQ(st->num_threads, 7);
  EXPECT_EQ(st->start_time_ticks, 123456u);
  EXPECT_EQ(st->vsize_bytes, 987654321u);
  EXPECT_EQ(st->rss_pages, 2048);
}

// A process may name itself anything (prctl PR_SET_NAME): spaces and ')' in
// comm must not shift the fields after it.
TEST(PidStatTest, CommWithSpacesAndParentheses) {
  for (const std::string comm : {"my prog", "a) S 9 9 9", "((", ") )", ""}) {
    const auto st = ParsePidStat(StatLine(comm));
    ASSERT_TRUE(st.ok()) << comm << ": " << st.error();
    EXPECT_EQ(st->comm, comm);
    EXPECT_EQ(st->ppid, 1) << comm;
    EXPECT_EQ(st->rss_pages, 2048) << comm;
  }
}

TEST(PidStatTest, MalformedInputIsAnErrorNotACrash) {
  for (const std::string& bad : std::vector<std::string>{
           "", "4242", "4242 (x", "x (y) S 1", "4242 (x) S 1 2 3",
           "4242 (x) SS" + StatLine("x").substr(10),
           "4242 (x) S one 4242 4242 0 -1 4194560 1200 0 3 0 250 75 0 0 20 0 7 0 1 "
           "2 3 4 5 6"}) {
    EXPECT_FALSE(ParsePidStat(bad).ok()) << bad;
  }
}

TEST(PidStatTest, BootTime) {
  const auto t = ParseBootTime("cpu  1 2 3\nintr 5\nbtime 1700000000\nprocesses 9\n");
  ASSERT_TRUE(t.ok()) << t.error();
  EXPECT_EQ(*t, 1700000000u);
  EXPECT_FALSE(ParseBootTime("cpu 1\n").ok());
  EXPECT_THAT(ParseBootTime("btime soon\n").error(), ::testing::HasSubstr("malformed btime"));
}

}  // namespace
}  // namespace vms
