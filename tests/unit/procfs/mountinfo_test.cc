#include "vms/procfs/mountinfo.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/subprocess.h"
#include "vms/base/file.h"

namespace vms {
namespace {

using ::testing::HasSubstr;

TEST(MountInfoTest, ParsesFieldsAroundOptionalTags) {
  auto mounts = ParseMountInfo(
      "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 shared:2 - ext3 /dev/root rw,errors=continue\n"
      "37 35 98:1 / /data rw - xfs /dev/sdb1 rw\n");
  ASSERT_TRUE(mounts.ok()) << mounts.error();
  ASSERT_EQ(mounts->size(), 2u);
  const MountInfo& m = (*mounts)[0];
  EXPECT_EQ(m.root, "/mnt1");
  EXPECT_EQ(m.mount_point, "/mnt2");
  EXPECT_EQ(m.mount_options, "rw,noatime");
  EXPECT_EQ(m.fstype, "ext3");
  EXPECT_EQ(m.source, "/dev/root");
  EXPECT_EQ(m.super_options, "rw,errors=continue");
  EXPECT_EQ((*mounts)[1].mount_point, "/data");
  EXPECT_EQ((*mounts)[1].fstype, "xfs");
}

TEST(MountInfoTest, UnescapesOctalEscapes) {
  EXPECT_EQ(UnescapeMountField("/mnt/camera\\040exports"), "/mnt/camera exports");
  EXPECT_EQ(UnescapeMountField("a\\011b\\012c\\134d"), "a\tb\nc\\d");
  // Not a complete escape: left as it is.
  EXPECT_EQ(UnescapeMountField("/x\\04"), "/x\\04");
  EXPECT_EQ(UnescapeMountField("/x\\9zz"), "/x\\9zz");
  EXPECT_EQ(UnescapeMountField("/plain"), "/plain");
}

TEST(MountInfoTest, FailsOnATruncatedLineNamingIt) {
  auto mounts = ParseMountInfo("37 35 98:1 / /data rw - xfs /dev/sdb1 rw\n38 35 98:2 / /x rw\n");
  ASSERT_FALSE(mounts.ok());
  EXPECT_THAT(mounts.error(), HasSubstr("line 2"));
  EXPECT_FALSE(ParseMountInfo("1 2 3:4 / /y rw shared:1 -\n").ok());
}

TEST(MountInfoTest, IgnoresBlankLinesAndMissingFinalNewline) {
  auto mounts = ParseMountInfo("\n37 35 98:1 / /data rw - xfs /dev/sdb1 rw");
  ASSERT_TRUE(mounts.ok()) << mounts.error();
  ASSERT_EQ(mounts->size(), 1u);
  EXPECT_EQ((*mounts)[0].super_options, "rw");
}

TEST(MountInfoTest, MountOptionsMatchWholeWords) {
  EXPECT_TRUE(HasMountOption("ro,relatime", "ro"));
  EXPECT_TRUE(HasMountOption("relatime,ro", "ro"));
  EXPECT_FALSE(HasMountOption("rw,errors=remount-ro", "ro"));
  EXPECT_FALSE(HasMountOption("", "ro"));
}

TEST(MountInfoTest, ParsesTheFixture) {
  auto text = ReadFile(test::SourcePath("tests/fixtures/host/proc/self/mountinfo"));
  ASSERT_TRUE(text.ok()) << text.error();
  auto mounts = ParseMountInfo(*text);
  ASSERT_TRUE(mounts.ok()) << mounts.error();
  EXPECT_EQ(mounts->size(), 14u);
  bool found_space = false;
  for (const auto& m : *mounts) {
    if (m.mount_point == "/mnt/camera exports") found_space = true;
  }
  EXPECT_TRUE(found_space);
}

}  // namespace
}  // namespace vms
