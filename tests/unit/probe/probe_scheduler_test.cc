#include "vms/probe/probe_scheduler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <boost/asio/steady_timer.hpp>

namespace vms {
namespace {

using namespace std::chrono_literals;

// A probe that finishes after `work` on its own timer, or never (hang).
class TimedProbe : public Probe {
 public:
  TimedProbe(boost::asio::io_context& io, std::chrono::milliseconds work, bool hang = false)
      : io_(io), work_(work), hang_(hang) {}
  void Start(std::chrono::steady_clock::time_point, std::function<void()> done) override {
    ++started;
    const int now = ++concurrent;
    max_concurrent = std::max(max_concurrent.load(), now);
    if (hang_) {
      pending_ = std::move(done);
      return;
    }
    timer_ = std::make_unique<boost::asio::steady_timer>(io_, work_);
    timer_->async_wait([this, done = std::move(done)](auto) {
      --concurrent;
      ++finished;
      done();
    });
  }
  void Cancel() override {
    ++cancelled;
    --concurrent;
  }

  static inline std::atomic<int> concurrent{0};
  static inline std::atomic<int> max_concurrent{0};
  std::atomic<int> started{0}, finished{0}, cancelled{0};

 private:
  boost::asio::io_context& io_;
  std::chrono::milliseconds work_;
  bool hang_;
  std::function<void()> pending_;
  std::unique_ptr<boost::asio::steady_timer> timer_;
};

void RunFor(boost::asio::io_context& io, std::chrono::milliseconds d) {
  io.restart();
  io.run_for(d);
}

TEST(ProbeSchedulerTest, RunsEachProbeEveryInterval) {
  boost::asio::io_context io;
  ProbeScheduler scheduler(io, 4);
  auto probe = std::make_shared<TimedProbe>(io, 1ms);
  scheduler.Add(probe, {100ms, 50ms, 0.0});
  RunFor(io, 1050ms);
  // First run at ~0 (no jitter), then every 100 ms: 10 or 11 runs.
  EXPECT_GE(probe->finished.load(), 10);
  EXPECT_LE(probe->finished.load(), 11);
}

TEST(ProbeSchedulerTest, ConcurrencyLimitHolds) {
  boost::asio::io_context io;
  TimedProbe::concurrent = 0;
  TimedProbe::max_concurrent = 0;
  ProbeScheduler scheduler(io, 3);
  std::vector<std::shared_ptr<TimedProbe>> probes;
  for (int i = 0; i < 12; ++i) {
    probes.push_back(std::make_shared<TimedProbe>(io, 40ms));
    scheduler.Add(probes.back(), {200ms, 100ms, 0.0});
  }
  RunFor(io, 500ms);
  EXPECT_EQ(TimedProbe::max_concurrent.load(), 3);
  for (auto& p : probes) EXPECT_GE(p->finished.load(), 1);
}

TEST(ProbeSchedulerTest, DeadlineCancelsHungProbeAndFreesSlot) {
  boost::asio::io_context io;
  TimedProbe::concurrent = 0;
  ProbeScheduler scheduler(io, 1);
  auto hung = std::make_shared<TimedProbe>(io, 0ms, /*hang=*/true);
  auto healthy = std::make_shared<TimedProbe>(io, 1ms);
  scheduler.Add(hung, {1000ms, 100ms, 0.0});
  scheduler.Add(healthy, {1000ms, 100ms, 0.0});
  RunFor(io, 300ms);
  EXPECT_EQ(hung->cancelled.load(), 1);
  EXPECT_EQ(healthy->finished.load(), 1);  // got the only slot after the deadline
  EXPECT_EQ(scheduler.running(), 0u);
}

TEST(ProbeSchedulerTest, JitterSpreadsFirstRuns) {
  boost::asio::io_context io;
  ProbeScheduler scheduler(io, 64);
  std::vector<std::shared_ptr<TimedProbe>> probes;
  for (int i = 0; i < 64; ++i) {
    probes.push_back(std::make_shared<TimedProbe>(io, 1ms));
    scheduler.Add(probes.back(), {1000ms, 100ms, 1.0});
  }
  RunFor(io, 300ms);
  int started = 0;
  for (auto& p : probes) started += p->started.load() > 0;
  // Uniform over the first second: about 30% within 300 ms, never all.
  EXPECT_GT(started, 3);
  EXPECT_LT(started, 50);
}

TEST(ProbeSchedulerTest, RemovedProbeStopsRunning) {
  boost::asio::io_context io;
  ProbeScheduler scheduler(io, 2);
  auto probe = std::make_shared<TimedProbe>(io, 1ms);
  const auto id = scheduler.Add(probe, {50ms, 20ms, 0.0});
  // Until it has run twice (a loaded machine may take longer than 2 intervals).
  for (int i = 0; i < 500 && probe->finished.load() < 2; ++i) RunFor(io, 10ms);
  const int runs = probe->finished.load();
  EXPECT_GE(runs, 2);
  scheduler.Remove(id);
  RunFor(io, 200ms);
  EXPECT_EQ(probe->finished.load(), runs);
}

}  // namespace
}  // namespace vms

namespace vms {
namespace {

// A probe that reports `done` only when told, possibly after its scheduler
// is gone (a reload replaced it).
class LateProbe : public Probe {
 public:
  void Start(std::chrono::steady_clock::time_point, std::function<void()> done) override {
    done_ = std::move(done);
  }
  void FinishNow() {
    if (done_) std::exchange(done_, nullptr)();
  }

 private:
  std::function<void()> done_;
};

TEST(ProbeSchedulerTest, DoneAfterSchedulerIsGoneIsHarmless) {
  boost::asio::io_context io;
  auto probe = std::make_shared<LateProbe>();
  {
    ProbeScheduler scheduler(io, 1);
    scheduler.Add(probe, {std::chrono::milliseconds(1000), std::chrono::milliseconds(500), 0.0});
    io.run_for(std::chrono::milliseconds(50));  // started, not finished
  }
  probe->FinishNow();  // posts to the loop; the scheduler no longer exists
  io.restart();
  EXPECT_NO_FATAL_FAILURE(io.run_for(std::chrono::milliseconds(50)));
}

}  // namespace
}  // namespace vms
