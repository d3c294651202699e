#include "vms/logtail/log_follower.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include "support/subprocess.h"
#include "vms/logtail/log_checkpoint.h"

namespace vms {
namespace {

namespace fs = std::filesystem;

// Appends as nginx does: one write(2) per call on an O_APPEND descriptor.
class Writer {
 public:
  explicit Writer(const std::string& path)
      : fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) {
    EXPECT_GE(fd_, 0) << path;
  }
  ~Writer() { ::close(fd_); }
  void Write(const std::string& text) {
    ASSERT_EQ(::write(fd_, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  }

 private:
  int fd_;
};

class LogFollowerTest : public ::testing::Test {
 protected:
  LogFollowerTest() : dir_(test::MakeTempDir()), path_(dir_ + "/access.log") {
    options_.poll_interval = std::chrono::milliseconds(0);  // every Poll() checks everything
    options_.rotate_wait = std::chrono::milliseconds(0);
    options_.checkpoint_interval = std::chrono::milliseconds(0);
  }
  ~LogFollowerTest() override { fs::remove_all(dir_); }

  std::unique_ptr<LogFollower> Make() {
    return std::make_unique<LogFollower>(path_, options_, [this](auto lines) {
      std::lock_guard lock(mu_);
      for (std::string_view l : lines) lines_.emplace_back(l);
      ++batches_;
      cv_.notify_all();
    });
  }

  std::vector<std::string> Take() {
    std::lock_guard lock(mu_);
    return std::exchange(lines_, {});
  }

  std::string dir_;
  std::string path_;
  LogFollowerOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
  int batches_ = 0;
};

using Lines = std::vector<std::string>;

TEST_F(LogFollowerTest, FirstStartBeginsAtTheEnd) {
  Writer w(path_);
  w.Write("old 1\nold 2\n");
  auto f = Make();
  f->Poll();
  EXPECT_EQ(Take(), Lines{});
  w.Write("new 1\nnew 2\n");
  f->Poll();
  EXPECT_EQ(Take(), (Lines{"new 1", "new 2"}));
  const auto s = f->Stats();
  EXPECT_EQ(s.lines, 2u);
  EXPECT_EQ(s.bytes, 12u);
  EXPECT_TRUE(s.file_present);
  EXPECT_EQ(s.lag_bytes, 0u);
}

TEST_F(LogFollowerTest, LagIsWhatIsLeftToReadAndTheTimeSinceAllWasRead) {
  options_.start_at_end = false;
  std::string text;
  while (text.size() < 300'000) text += "a line of the backlog\n";
  Writer(path_).Write(text);
  std::vector<std::uint64_t> lags;
  std::unique_ptr<LogFollower> f;
  f = std::make_unique<LogFollower>(path_, options_,
                                    [&](auto) { lags.push_back(f->Stats().lag_bytes); });
  f->Poll();
  ASSERT_GE(lags.size(), 4u);  // 64 KiB reads
  EXPECT_GT(lags.front(), 200'000u);
  EXPECT_LT(lags.back(), 64u * 1024);
  EXPECT_EQ(f->Stats().lag_bytes, 0u);
  // Seconds since everything was read: with a poll interval of 0 any time
  // since the last look counts; with an hour, the follower is not behind.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_GE(f->Stats().lag_seconds, 0.02);
  options_.poll_interval = std::chrono::hours(1);
  auto idle = Make();
  idle->Poll();
  EXPECT_EQ(idle->Stats().lag_seconds, 0.0);
}

TEST_F(LogFollowerTest, StartAtBeginningReadsWhatIsThere) {
  options_.start_at_end = false;
  Writer(path_).Write("a\nb\n");
  auto f = Make();
  f->Poll();
  EXPECT_EQ(Take(), (Lines{"a", "b"}));
}

TEST_F(LogFollowerTest, HoldsAnIncompleteLineUntilItsNewline) {
  Writer w(path_);
  auto f = Make();
  f->Poll();
  w.Write("GET /a");
  f->Poll();
  EXPECT_EQ(Take(), Lines{});
  w.Write(" 200");
  f->Poll();
  EXPECT_EQ(Take(), Lines{});
  w.Write(" end\nnext\n\nlast");
  f->Poll();
  EXPECT_EQ(Take(), (Lines{"GET /a 200 end", "next"}));  // the empty line is no line
  EXPECT_EQ(f->Stats().lines, 2u);
}

TEST_F(LogFollowerTest, OverLongLinesAreCountedAndSkippedNotHeld) {
  options_.max_line_bytes = 10;
  Writer w(path_);
  auto f = Make();
  f->Poll();
  w.Write("short\n" + std::string(11, 'x') + "\nok\n");  // too long in one read
  f->Poll();
  EXPECT_EQ(Take(), (Lines{"short", "ok"}));
  w.Write(std::string(8, 'y'));  // held
  f->Poll();
  w.Write(std::string(8, 'y'));  // now over the cap without a newline: dropped at once
  f->Poll();
  EXPECT_EQ(f->Stats().lines_too_long, 2u);
  w.Write(std::string(100, 'y'));  // the same line goes on: skipped, not counted again
  f->Poll();
  w.Write("yyy\nafter\n");
  f->Poll();
  EXPECT_EQ(Take(), Lines{"after"});
  EXPECT_EQ(f->Stats().lines_too_long, 2u);
  // Exactly the cap is still a line.
  w.Write(std::string(10, 'z') + "\n");
  f->Poll();
  EXPECT_EQ(Take(), Lines{std::string(10, 'z')});
}

TEST_F(LogFollowerTest, RenameRotationDrainsTheOldFileBeforeTheNew) {
  auto old_writer = std::make_unique<Writer>(path_);
  auto f = Make();
  f->Poll();
  old_writer->Write("1\n2\n");
  f->Poll();
  EXPECT_EQ(Take(), (Lines{"1", "2"}));
  // logrotate renames; nginx writes on to the old file until USR1...
  fs::rename(path_, path_ + ".1");
  old_writer->Write("3\n");
  f->Poll();
  EXPECT_FALSE(f->Stats().file_present);
  old_writer->Write("4\n");
  // ...then reopens: a new file at the path, and a last line in the old one.
  Writer new_writer(path_);
  new_writer.Write("5\n");
  old_writer->Write("4b\n");
  f->Poll();
  EXPECT_EQ(Take(), (Lines{"3", "4", "4b", "5"}));
  const auto s = f->Stats();
  EXPECT_EQ(s.rotations_rename, 1u);
  EXPECT_EQ(s.rotations_truncate, 0u);
  EXPECT_TRUE(s.file_present);
  // rotate_wait 0: the old file is closed; later lines in it are not read.
  old_writer->Write("too late\n");
  new_writer.Write("6\n");
  f->Poll();
  EXPECT_EQ(Take(), Lines{"6"});
}

TEST_F(LogFollowerTest, RotatedFileIsStillReadForRotateWait) {
  options_.rotate_wait = std::chrono::hours(1);
  Writer old_writer(path_);
  auto f = Make();
  f->Poll();
  fs::rename(path_, path_ + ".1");
  Writer new_writer(path_);
  new_writer.Write("new\n");
  f->Poll();
  old_writer.Write("a worker that had not reopened yet\n");
  new_writer.Write("new 2\n");
  f->Poll();
  EXPECT_EQ(Take(), (Lines{"new", "a worker that had not reopened yet", "new 2"}));
}

TEST_F(LogFollowerTest, AnIncompleteLastLineOfARotatedFileIsDropped) {
  Writer old_writer(path_);
  auto f = Make();
  f->Poll();
  old_writer.Write("whole\nhalf");
  fs::rename(path_, path_ + ".1");
  Writer(path_).Write("new\n");
  f->Poll();
  EXPECT_EQ(Take(), (Lines{"whole", "new"}));
  EXPECT_EQ(f->Stats().lines_incomplete, 1u);
}

TEST_F(LogFollowerTest, CopytruncateStartsOverAndReadsTheCopysTail) {
  Writer w(path_);
  auto f = Make();
  f->Poll();
  w.Write("1\n2\n");
  f->Poll();
  EXPECT_EQ(Take(), (Lines{"1", "2"}));
  w.Write("3\n4\n");                           // written after the last read...
  fs::copy_file(path_, path_ + ".1");          // ...copied...
  ASSERT_EQ(::truncate(path_.c_str(), 0), 0);  // ...and truncated before the next
  w.Write("5\n");
  f->Poll();
  EXPECT_EQ(Take(), (Lines{"3", "4", "5"}));
  EXPECT_EQ(f->Stats().rotations_truncate, 1u);
  w.Write("6\n");
  f->Poll();
  EXPECT_EQ(Take(), Lines{"6"});
}

// The race the head check after each read exists for: a copytruncate, and
// more than a chunk of new lines, between two reads of one long backlog.
TEST_F(LogFollowerTest, CopytruncateInTheMiddleOfALongRead) {
  options_.start_at_end = false;
  std::string old_text, new_text;
  for (int i = 0; i < 30000; ++i) old_text += "old " + std::to_string(i) + "\n";
  for (int i = 0; i < 10000; ++i) new_text += "new line " + std::to_string(i) + "\n";
  ASSERT_GT(new_text.size(), 64u * 1024);
  Writer w(path_);
  w.Write(old_text);
  bool rotated = false;
  std::vector<std::string> got;
  LogFollower f(path_, options_, [&](auto lines) {
    for (std::string_view l : lines) got.emplace_back(l);
    if (!rotated) {
      rotated = true;
      fs::copy_file(path_, path_ + ".1");
      ASSERT_EQ(::truncate(path_.c_str(), 0), 0);
      w.Write(new_text);
    }
  });
  f.Poll();
  f.Poll();
  ASSERT_EQ(got.size(), 40000u);
  for (int i = 0; i < 30000; ++i) ASSERT_EQ(got[i], "old " + std::to_string(i));
  for (int i = 0; i < 10000; ++i) ASSERT_EQ(got[30000 + i], "new line " + std::to_string(i));
  EXPECT_EQ(f.Stats().rotations_truncate, 1u);
  EXPECT_EQ(f.Stats().lines_incomplete, 0u);
}

TEST_F(LogFollowerTest, TruncatedAndRefilledPastTheOffsetIsSeenByTheFingerprint) {
  Writer w(path_);
  auto f = Make();
  f->Poll();
  w.Write("first line of the old file\n");
  f->Poll();
  EXPECT_EQ(Take(), Lines{"first line of the old file"});
  ASSERT_EQ(::truncate(path_.c_str(), 0), 0);
  w.Write("a new first line, longer than the old\nand more\n");
  f->Poll();
  EXPECT_EQ(Take(), (Lines{"a new first line, longer than the old", "and more"}));
  EXPECT_EQ(f->Stats().rotations_truncate, 1u);
}

TEST_F(LogFollowerTest, AMissingFileIsReportedAndReadFromItsStartWhenItAppears) {
  auto f = Make();
  f->Poll();
  EXPECT_FALSE(f->Stats().file_present);
  Writer(path_).Write("first\n");
  f->Poll();
  EXPECT_EQ(Take(), Lines{"first"});
  EXPECT_TRUE(f->Stats().file_present);
  fs::remove(path_);
  f->Poll();
  EXPECT_FALSE(f->Stats().file_present);
}

TEST_F(LogFollowerTest, RestartResumesAtTheCheckpoint) {
  options_.state_dir = dir_ + "/state";
  fs::create_directory(options_.state_dir);
  Writer w(path_);
  w.Write("before\n");
  {
    auto f = Make();
    f->Poll();
    w.Write("1\n2\nhal");
    f->Poll();
  }  // stopped: the checkpoint is at the end of "2"
  EXPECT_EQ(Take(), (Lines{"1", "2"}));
  w.Write("f\n3\n");
  auto f = Make();
  f->Poll();
  EXPECT_EQ(Take(), (Lines{"half", "3"}));
}

TEST_F(LogFollowerTest, RestartAfterARotationDrainsTheRotatedFileFirst) {
  options_.state_dir = dir_;
  auto w = std::make_unique<Writer>(path_);
  {
    auto f = Make();
    f->Poll();
    w->Write("1\n");
    f->Poll();
  }
  EXPECT_EQ(Take(), Lines{"1"});
  // While the follower is down: more lines, a rotation, lines in the new file.
  w->Write("2\n");
  fs::rename(path_, path_ + ".1");
  w = std::make_unique<Writer>(path_);
  w->Write("3\n");
  {
    auto f = Make();
    f->Poll();
  }
  EXPECT_EQ(Take(), (Lines{"2", "3"}));
  // And a rotated file found elsewhere in the directory than path.1.
  w->Write("4\n");
  fs::rename(path_, dir_ + "/access.log-20261203");
  w = std::make_unique<Writer>(path_);
  w->Write("5\n");
  auto f = Make();
  f->Poll();
  EXPECT_EQ(Take(), (Lines{"4", "5"}));
}

TEST_F(LogFollowerTest, RestartAfterCopytruncateStartsAtZero) {
  options_.state_dir = dir_;
  Writer w(path_);
  w.Write("0\n");
  {
    auto f = Make();
    f->Poll();
    w.Write("1\n2\n3\n");
    f->Poll();
  }
  EXPECT_EQ(Take(), (Lines{"1", "2", "3"}));
  ASSERT_EQ(::truncate(path_.c_str(), 0), 0);
  w.Write("4\n");
  auto f = Make();
  f->Poll();
  EXPECT_EQ(Take(), Lines{"4"});
  EXPECT_EQ(f->Stats().rotations_truncate, 1u);
}

TEST_F(LogFollowerTest, AGarbledCheckpointIsAFirstStart) {
  options_.state_dir = dir_;
  Writer w(path_);
  w.Write("old\n");
  std::ofstream(CheckpointPath(dir_, path_)) << "nonsense";
  auto f = Make();
  f->Poll();
  w.Write("new\n");
  f->Poll();
  EXPECT_EQ(Take(), Lines{"new"});
}

TEST_F(LogFollowerTest, BatchesAreCappedAndParseErrorsAdd) {
  options_.max_batch_lines = 3;
  options_.start_at_end = false;
  std::string text;
  for (int i = 0; i < 10; ++i) text += std::to_string(i) + "\n";
  Writer(path_).Write(text);
  auto f = Make();
  f->Poll();
  EXPECT_EQ(Take().size(), 10u);
  EXPECT_EQ(batches_, 4);
  f->AddParseErrors(3);
  EXPECT_EQ(f->Stats().parse_errors, 3u);
}

// The thread: inotify wakes it long before its (hour-long) poll interval.
TEST_F(LogFollowerTest, TheThreadIsWokenByInotify) {
  options_.poll_interval = std::chrono::hours(1);
  Writer w(path_);
  auto f = Make();
  f->Start();
  // The first pass may not have run yet: wait for it to have seen the file.
  for (int i = 0; i < 500 && !f->Stats().file_present; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(f->Stats().file_present);
  w.Write("ping\n");
  {
    std::unique_lock lock(mu_);
    ASSERT_TRUE(cv_.wait_for(lock, std::chrono::seconds(30), [&] { return !lines_.empty(); }));
  }
  // A new file at the path is seen by inotify too.
  fs::rename(path_, path_ + ".1");
  Writer(path_).Write("pong\n");
  {
    std::unique_lock lock(mu_);
    ASSERT_TRUE(cv_.wait_for(lock, std::chrono::seconds(30), [&] { return lines_.size() == 2; }));
  }
  f->Stop();
  EXPECT_EQ(Take(), (Lines{"ping", "pong"}));
  EXPECT_EQ(f->Stats().rotations_rename, 1u);
}

TEST(LogCheckpointTest, RoundTrips) {
  LogCheckpoint c;
  c.draining.push_back({2049, 1234, 99, false, 1024, 0xdeadbeefcafef00dull});
  c.current = FileCheckpoint{2049, 5678, 18446744073709551615ull, true, 0, 0};
  const std::string text = FormatLogCheckpoint(c);
  auto parsed = ParseLogCheckpoint(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(*parsed, c);
  EXPECT_TRUE(ParseLogCheckpoint("vms-logtail-checkpoint 1\n").ok());
  for (const char* bad :
       {"", "vms-logtail-checkpoint 2\n", "vms-logtail-checkpoint 1\ncurrent 1 2 3\n",
        "vms-logtail-checkpoint 1\ncurrent 1 2 3 0 4 00000000000000zz\n",
        "vms-logtail-checkpoint 1\ncurrent 1 2 3 2 4 0000000000000000\n",
        "vms-logtail-checkpoint 1\ncurrent 1 2 3 0 4 0000000000000000\n"
        "draining 1 2 3 0 4 0000000000000000\n",
        "vms-logtail-checkpoint 1\nfoo 1 2 3 0 4 0000000000000000\n"}) {
    EXPECT_FALSE(ParseLogCheckpoint(bad).ok()) << bad;
  }
}

TEST(LogCheckpointTest, FilesAreWrittenWholeAndNamedPerPath) {
  const std::string dir = test::MakeTempDir();
  const std::string a = CheckpointPath(dir, "/var/log/nginx/access.log");
  const std::string b = CheckpointPath(dir, "/srv/other/access.log");
  EXPECT_NE(a, b);
  EXPECT_EQ(fs::path(a).filename().string().rfind("access.log-", 0), 0u);
  EXPECT_EQ(fs::path(CheckpointPath(dir, "/x/a b\n.log")).filename().string().substr(0, 8),
            "a_b_.log");
  auto none = ReadLogCheckpoint(a);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  LogCheckpoint c;
  c.current = FileCheckpoint{1, 2, 3, false, 4, 5};
  ASSERT_TRUE(WriteLogCheckpoint(a, c).ok());
  auto back = ReadLogCheckpoint(a);
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_EQ(**back, c);
  EXPECT_FALSE(fs::exists(a + ".tmp"));
  EXPECT_FALSE(WriteLogCheckpoint(dir + "/missing/dir/x", c).ok());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace vms
