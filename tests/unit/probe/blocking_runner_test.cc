#include "vms/probe/blocking_runner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <future>
#include <thread>

namespace vms {
namespace {

using namespace std::chrono_literals;

class BlockingRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    io_thread_ = std::thread([this] {
      io_thread_id_ = std::this_thread::get_id();
      io_.run();
    });
  }
  void TearDown() override {
    work_.reset();
    io_.stop();
    io_thread_.join();
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ =
      boost::asio::make_work_guard(io_);
  std::thread io_thread_;
  std::atomic<std::thread::id> io_thread_id_;
};

TEST_F(BlockingRunnerTest, WorkRunsOffTheLoopAndTheAnswerOnIt) {
  BlockingRunner runner(io_, 2);
  std::promise<std::pair<std::thread::id, std::thread::id>> where;
  runner.Run<std::thread::id>([] { return std::this_thread::get_id(); },
                              [&](std::thread::id worker) {
                                where.set_value({worker, std::this_thread::get_id()});
                              });
  const auto [worker, done] = where.get_future().get();
  EXPECT_NE(worker, io_thread_id_.load());
  EXPECT_EQ(done, io_thread_id_.load());
}

// A call stuck in the kernel holds one thread; the others keep answering.
TEST_F(BlockingRunnerTest, AStuckCallHoldsOneThreadOnly) {
  BlockingRunner runner(io_, 2);
  std::promise<void> release;
  auto released = release.get_future().share();
  runner.Run<int>(
      [released] {
        released.wait();
        return 0;
      },
      [](int) {});
  std::promise<int> answer;
  runner.Run<int>([] { return 42; }, [&](int v) { answer.set_value(v); });
  EXPECT_EQ(answer.get_future().get(), 42);
  EXPECT_EQ(runner.pending(), 1u);
  release.set_value();
}

// The runner goes (a reload, shutdown) while a call is stuck: its
// destructor does not wait, and the late answer is dropped.
TEST_F(BlockingRunnerTest, DestroyedWhileACallIsStuckDropsTheAnswer) {
  std::promise<void> release;
  auto released = release.get_future().share();
  std::atomic<bool> delivered{false};
  std::atomic<bool> returned{false};
  {
    BlockingRunner runner(io_, 1);
    runner.Run<int>(
        [released, &returned] {
          released.wait();
          returned = true;
          return 1;
        },
        [&](int) { delivered = true; });
    std::this_thread::sleep_for(10ms);  // let the job start
  }
  release.set_value();
  for (int i = 0; i < 200 && !returned; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_TRUE(returned);
  std::promise<void> drained;  // everything posted before this has run
  boost::asio::post(io_, [&] { drained.set_value(); });
  drained.get_future().wait();
  EXPECT_FALSE(delivered);
}

}  // namespace
}  // namespace vms
