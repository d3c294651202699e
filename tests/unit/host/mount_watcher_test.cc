#include "vms/host/mount_watcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <thread>

namespace vms {
namespace {

using ::testing::HasSubstr;
using State = MountWatcher::State;
using namespace std::chrono_literals;

// Blocks every call until opened; counts calls. Shared with worker threads
// that may outlive a test's watcher.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
  std::atomic<int> calls{0};
  void Open() {
    {
      std::lock_guard lock(mu);
      open = true;
    }
    cv.notify_all();
  }
};

MountWatcher::StatFn Gated(std::shared_ptr<Gate> gate) {
  return [gate](const std::string&) -> Result<FsUsage> {
    ++gate->calls;
    std::unique_lock lock(gate->mu);
    gate->cv.wait(lock, [&] { return gate->open; });
    return FsUsage{4096, 1024, 2048, 10, 5, false};
  };
}

auto Far() { return std::chrono::steady_clock::now() + 60s; }

bool WaitUntilIdle(const MountWatcher& w) {
  for (int i = 0; i < 500; ++i) {
    if (w.Outstanding() == 0) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

TEST(MountWatcherTest, AnswersAndErrors) {
  MountWatcher w([](const std::string& path) -> Result<FsUsage> {
    if (path == "/bad") return Status::Error("statvfs /bad: No such file or directory");
    return FsUsage{100, 40, 50, 10, 3, true};
  });
  const auto a = w.StatAll({"/good", "/bad"}, 5s, Far());
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].state, State::kOk);
  EXPECT_EQ(a[0].usage.size_bytes, 100u);
  EXPECT_TRUE(a[0].usage.readonly);
  EXPECT_EQ(a[1].state, State::kError);
  EXPECT_THAT(a[1].error, HasSubstr("/bad"));
  EXPECT_TRUE(WaitUntilIdle(w));
}

TEST(MountWatcherTest, StuckCallIsStaleAndNeverDuplicated) {
  auto gate = std::make_shared<Gate>();
  MountWatcher w(Gated(gate));
  EXPECT_EQ(w.StatAll({"/nfs"}, 20ms, Far())[0].state, State::kStale);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(w.StatAll({"/nfs"}, 20ms, Far())[0].state, State::kStale);
  }
  EXPECT_EQ(gate->calls.load(), 1);
  EXPECT_EQ(w.Outstanding(), 1u);

  gate->Open();
  ASSERT_TRUE(WaitUntilIdle(w));
  const auto healed = w.StatAll({"/nfs"}, 10s, Far());
  EXPECT_EQ(healed[0].state, State::kOk);
  EXPECT_EQ(healed[0].usage.free_bytes, 1024u);
  EXPECT_EQ(gate->calls.load(), 2);
}

TEST(MountWatcherTest, DeadlineBeforeTimeoutStopsTheWait) {
  auto gate = std::make_shared<Gate>();
  MountWatcher w(Gated(gate));
  const auto a = w.StatAll({"/nfs"}, 60s, std::chrono::steady_clock::now());
  EXPECT_EQ(a[0].state, State::kStale);
  gate->Open();
  EXPECT_TRUE(WaitUntilIdle(w));
}

TEST(MountWatcherTest, ConcurrentScrapesNeverDuplicateACall) {
  auto gate = std::make_shared<Gate>();
  MountWatcher w(Gated(gate));
  auto first = std::async(std::launch::async, [&] { return w.StatAll({"/data"}, 60s, Far()); });
  while (gate->calls.load() == 0) std::this_thread::sleep_for(1ms);
  // Arriving while the first call is in flight, a second scrape waits on it
  // (or, once it is older than its timeout, skips it) but never starts one.
  EXPECT_EQ(w.StatAll({"/data"}, 100ms, Far())[0].state, State::kStale);
  EXPECT_EQ(gate->calls.load(), 1);
  gate->Open();
  EXPECT_EQ(first.get()[0].state, State::kOk);
  EXPECT_EQ(gate->calls.load(), 1);
}

TEST(MountWatcherTest, CallsStartedEarlyAreUsedOnlyIfRecentEnough) {
  std::atomic<int> calls{0};
  MountWatcher w([&calls](const std::string&) -> Result<FsUsage> {
    return FsUsage{static_cast<std::uint64_t>(++calls), 1, 1, 1, 1, false};
  });
  const auto since = std::chrono::steady_clock::now();
  w.Start({"/a", "/b"}, 5s, since);
  ASSERT_TRUE(WaitUntilIdle(w));
  // Answered after `since`: used, not asked again.
  auto a = w.StatAll({"/a", "/b"}, 5s, Far(), since);
  EXPECT_EQ(calls.load(), 2);
  EXPECT_EQ(a[0].state, State::kOk);
  EXPECT_EQ(a[0].usage.size_bytes + a[1].usage.size_bytes, 3u);
  // A later scrape does not take them: its answers are its own.
  a = w.StatAll({"/a", "/b"}, 5s, Far(), std::chrono::steady_clock::now());
  EXPECT_EQ(calls.load(), 4);
  EXPECT_EQ(a[0].usage.size_bytes + a[1].usage.size_bytes, 7u);
  a = w.StatAll({"/a"}, 5s, Far());
  EXPECT_EQ(calls.load(), 5);
  EXPECT_EQ(a[0].usage.size_bytes, 5u);
}

TEST(MountWatcherTest, StartJoinsAStuckCallInsteadOfStartingAnother) {
  auto gate = std::make_shared<Gate>();
  MountWatcher w(Gated(gate));
  EXPECT_EQ(w.StatAll({"/nfs"}, 20ms, Far())[0].state, State::kStale);
  for (int i = 0; i < 5; ++i) w.Start({"/nfs"}, 20ms, std::chrono::steady_clock::now());
  EXPECT_EQ(gate->calls.load(), 1);
  EXPECT_EQ(w.Outstanding(), 1u);
  gate->Open();
  EXPECT_TRUE(WaitUntilIdle(w));
}

TEST(MountWatcherTest, StuckMountsAreWaitedForInParallel) {
  auto gate = std::make_shared<Gate>();
  MountWatcher w(Gated(gate));
  const auto a = w.StatAll({"/a", "/b", "/c"}, 30ms, Far());
  for (const auto& x : a) EXPECT_EQ(x.state, State::kStale);
  EXPECT_EQ(w.Outstanding(), 3u);
  gate->Open();
  EXPECT_TRUE(WaitUntilIdle(w));
}

}  // namespace
}  // namespace vms
