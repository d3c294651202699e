#include "vms/accesslog/access_log_set.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <thread>

#include "support/subprocess.h"

namespace vms {
namespace {

using namespace std::chrono_literals;

struct Item {
  AccessLogSourceConfig source;
  std::string tag;  // a role's own key
  bool operator==(const Item&) const = default;
};

std::string Line(int n) {
  return "vms1\t1796305492.686\t127.0.0.1\tGET\t/hls/cam1/seg_" + std::to_string(n) +
         ".ts\tHTTP/1.1\t200\t150\t3\t0.000\t\t33601\t\t\t\t\tcurl/7.88.1\tend\n";
}

class AccessLogSetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::MakeTempDir();
    source_.path = dir_ + "/access.log";
    source_.follower.start_at_end = false;
    source_.follower.poll_interval = 10ms;
    source_.follower.checkpoint_interval = 0ms;
    source_.follower.state_dir = dir_ + "/state";
    std::ofstream(source_.path).close();
  }
  void Write(int from, int to) {
    std::ofstream out(source_.path, std::ios::app);
    for (int i = from; i < to; ++i) out << Line(i);
  }
  // Waits up to 5 s for `n` records.
  bool SeenAtLeast(std::size_t n) {
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard lock(mu_);
        if (seen_.size() >= n) return true;
      }
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }
  AccessLogSet<Item>::MakeConsumer Make() {
    return [this](const std::vector<Item>& items) -> AccessRecordConsumer {
      ++made_;
      last_size_ = items.size();
      const std::string tag = items.empty() ? "" : items[0].tag;
      return [this, tag](std::size_t, const AccessLogSourceConfig&,
                         std::span<const AccessRecord> records) {
        std::lock_guard lock(mu_);
        for (const auto& r : records) seen_.push_back(tag + r.path);
      };
    };
  }

  std::string dir_;
  AccessLogSourceConfig source_;
  std::mutex mu_;
  std::vector<std::string> seen_;  // guarded by mu_
  std::atomic<int> made_{0};
  std::atomic<std::size_t> last_size_{0};
};

TEST_F(AccessLogSetTest, AnUnchangedListKeepsItsReaderAChangedOneResumesWithoutLoss) {
  AccessLogSet<Item> set(Make());
  set.Apply({{source_, "a"}});
  EXPECT_EQ(made_, 1);
  Write(0, 3);
  ASSERT_TRUE(SeenAtLeast(3));

  set.Apply({{source_, "a"}});  // a reload that changes nothing
  EXPECT_EQ(made_, 1);
  ASSERT_EQ(set.Stats().size(), 1u);

  set.Apply({{source_, "b"}});  // a role key changed: a new consumer, resumed from the checkpoint
  EXPECT_EQ(made_, 2);
  Write(3, 5);
  ASSERT_TRUE(SeenAtLeast(5));
  std::this_thread::sleep_for(100ms);  // anything read twice would show by now
  std::lock_guard lock(mu_);
  ASSERT_EQ(seen_.size(), 5u);
  EXPECT_EQ(seen_[0], "a/hls/cam1/seg_0.ts");
  EXPECT_EQ(seen_[2], "a/hls/cam1/seg_2.ts");
  EXPECT_EQ(seen_[3], "b/hls/cam1/seg_3.ts");
  EXPECT_EQ(seen_[4], "b/hls/cam1/seg_4.ts");
}

TEST_F(AccessLogSetTest, AnEmptyListIsAppliedAndRunsNoReader) {
  AccessLogSet<Item> set(Make());
  set.Apply({});
  EXPECT_EQ(made_, 1);  // the role learns that nothing feeds it
  EXPECT_EQ(last_size_, 0u);
  EXPECT_TRUE(set.Stats().empty());
  set.Apply({});
  EXPECT_EQ(made_, 1);
  set.Apply({{source_, "a"}});
  EXPECT_EQ(set.Stats().size(), 1u);
  set.Apply({});
  EXPECT_EQ(made_, 3);
  EXPECT_TRUE(set.Stats().empty());
}

}  // namespace
}  // namespace vms
