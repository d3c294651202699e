#include "vms/base/status.h"

#include <gtest/gtest.h>

#include <memory>
#include <type_traits>

#include "vms/base/file.h"
#include "vms/base/snapshot.h"

namespace vms {
namespace {

Result<int> Half(int n) {
  if (n % 2 != 0) return Status::Error("odd number " + std::to_string(n));
  return n / 2;
}

TEST(StatusTest, OkAndError) {
  EXPECT_TRUE(Status::Ok().ok());
  EXPECT_EQ(Status::Ok().message(), "");
  const Status e = Status::Error("reading x: gone");
  EXPECT_FALSE(e.ok());
  EXPECT_EQ(e.message(), "reading x: gone");
}

TEST(StatusTest, ResultHoldsAValueOrTheError) {
  const auto two = Half(4);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(*two, 2);
  EXPECT_TRUE(two.status().ok());
  const auto odd = Half(3);
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error(), "odd number 3");
  EXPECT_EQ(odd.status().message(), "odd number 3");
  Result<std::unique_ptr<int>> moved(std::make_unique<int>(5));
  EXPECT_EQ(*std::move(moved).value(), 5);
}

TEST(FileTest, ReadFileNamesThePathAndErrno) {
  const auto missing = ReadFile("/nonexistent/vms-test");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), "open /nonexistent/vms-test: No such file or directory");
  const auto dir = ReadFile("/");
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.error(), "read /: Is a directory");
  const auto self = ReadFile("/proc/self/stat");
  ASSERT_TRUE(self.ok()) << self.error();
  EXPECT_GT(self->size(), 20u);
}

TEST(FileTest, JoinRoot) {
  EXPECT_EQ(JoinRoot("/", "/proc/stat"), "/proc/stat");
  EXPECT_EQ(JoinRoot("", "/proc/stat"), "/proc/stat");
  EXPECT_EQ(JoinRoot("/host/proc/", "/stat"), "/host/proc/stat");
  EXPECT_EQ(JoinRoot("/host/proc", "stat"), "/host/proc/stat");
}

TEST(SnapshotTest, EveryPublishIsANewObject) {
  Snapshot<int> s;
  EXPECT_EQ(s.Read(), nullptr);
  s.Publish(1);
  const auto first = s.Read();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(*first, 1);
  EXPECT_EQ(s.Read(), first);  // nothing published: the same object
  s.Publish(1);
  EXPECT_NE(s.Read(), first);  // equal value, new object: readers re-render
  EXPECT_EQ(*first, 1);        // a reader's copy stays valid
}

}  // namespace
}  // namespace vms
