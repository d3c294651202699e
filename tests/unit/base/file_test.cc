#include "vms/base/file.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/subprocess.h"

namespace vms {
namespace {

TEST(ReadFileTest, ReadsAllOfAFileLargerThanOneBuffer) {
  const std::string path = test::MakeTempDir() + "/f";
  const std::string text(20000, 'x');
  std::ofstream(path) << text;
  auto read = ReadFile(path);
  ASSERT_TRUE(read.ok()) << read.error();
  EXPECT_EQ(*read, text);
}

TEST(ReadFileTest, AMissingFileNamesThePathAndTheReason) {
  auto read = ReadFile("/nonexistent/vms-file");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error(), "open /nonexistent/vms-file: No such file or directory");
}

TEST(ReadFileTest, AFileBeyondTheLimitIsRefused) {
  const std::string path = test::MakeTempDir() + "/playlist";
  std::ofstream(path) << std::string(10000, 'x');
  EXPECT_TRUE(ReadFile(path, 10000).ok());
  auto read = ReadFile(path, 9999);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error(), path + " is larger than 9999 bytes");
}

TEST(JoinRootTest, RootsAndPaths) {
  EXPECT_EQ(JoinRoot("", "/proc/stat"), "/proc/stat");
  EXPECT_EQ(JoinRoot("/", "/proc/stat"), "/proc/stat");
  EXPECT_EQ(JoinRoot("/host/", "/proc/stat"), "/host/proc/stat");
  EXPECT_EQ(JoinRoot("/host", "proc/stat"), "/host/proc/stat");
}

}  // namespace
}  // namespace vms
