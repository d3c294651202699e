#include "vms/procfs/diskstats.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "support/subprocess.h"
#include "vms/base/file.h"

namespace vms {
namespace {

using ::testing::HasSubstr;

TEST(DiskStatsTest, Reads14And18And20FieldLines) {
  auto disks = ParseDiskStats(
      "   8       0 sda 1 2 3 4 5 6 7 8 9 10 11\n"
      "   8       1 sda1 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25\n"
      " 259       0 nvme0n1 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37\n");
  ASSERT_TRUE(disks.ok()) << disks.error();
  ASSERT_EQ(disks->size(), 3u);
  const DiskStats& a = (*disks)[0];
  EXPECT_EQ(a.device, "sda");
  EXPECT_EQ(a.reads_completed, 1u);
  EXPECT_EQ(a.reads_merged, 2u);
  EXPECT_EQ(a.sectors_read, 3u);
  EXPECT_EQ(a.read_time_ms, 4u);
  EXPECT_EQ(a.writes_completed, 5u);
  EXPECT_EQ(a.writes_merged, 6u);
  EXPECT_EQ(a.sectors_written, 7u);
  EXPECT_EQ(a.write_time_ms, 8u);
  EXPECT_EQ(a.in_progress, 9u);
  EXPECT_EQ(a.io_time_ms, 10u);
  EXPECT_EQ(a.weighted_io_time_ms, 11u);
  EXPECT_EQ((*disks)[1].device, "sda1");
  EXPECT_EQ((*disks)[1].write_time_ms, 18u);
  EXPECT_EQ((*disks)[2].device, "nvme0n1");
  EXPECT_EQ((*disks)[2].weighted_io_time_ms, 31u);
}

TEST(DiskStatsTest, FailsOnShortOrNonNumericLinesNamingThem) {
  auto short_line = ParseDiskStats("8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n8 1 sda1 1 2 3 4\n");
  ASSERT_FALSE(short_line.ok());
  EXPECT_THAT(short_line.error(), HasSubstr("line 2"));
  EXPECT_THAT(short_line.error(), HasSubstr("sda1"));
  auto word = ParseDiskStats("8 0 sda 1 2 3 x 5 6 7 8 9 10 11\n");
  ASSERT_FALSE(word.ok());
  EXPECT_THAT(word.error(), HasSubstr("field 7"));
  EXPECT_FALSE(ParseDiskStats("8 0 sda 1 2 3 -4 5 6 7 8 9 10 11\n").ok());
}

TEST(DiskStatsTest, ReadsLargeCountersAndEmptyInput) {
  auto disks = ParseDiskStats("8 0 sda 18446744073709551615 0 0 0 0 0 0 0 0 0 0\n\n");
  ASSERT_TRUE(disks.ok()) << disks.error();
  EXPECT_EQ((*disks)[0].reads_completed, 18446744073709551615u);
  auto empty = ParseDiskStats("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(DiskStatsTest, ParsesTheFixture) {
  auto text = ReadFile(test::SourcePath("tests/fixtures/host/proc/diskstats"));
  ASSERT_TRUE(text.ok()) << text.error();
  auto disks = ParseDiskStats(*text);
  ASSERT_TRUE(disks.ok()) << disks.error();
  std::map<std::string, DiskStats> by_name;
  for (const auto& d : *disks) by_name[d.device] = d;
  EXPECT_EQ(by_name.size(), 8u);
  EXPECT_EQ(by_name["sda"].sectors_read, 9104542u);
  EXPECT_EQ(by_name["sda"].in_progress, 2u);
  EXPECT_EQ(by_name["loop0"].io_time_ms, 24u);         // a 14-field line
  EXPECT_EQ(by_name["dm-0"].write_time_ms, 3201800u);  // an 18-field line
  EXPECT_EQ(by_name["nvme0n1"].in_progress, 3u);       // a 20-field line
}

}  // namespace
}  // namespace vms
