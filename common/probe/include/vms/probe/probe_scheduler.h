#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <random>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace vms {

// One thing that is probed in the background (a camera, an HTTP endpoint).
class Probe {
 public:
  virtual ~Probe() = default;
  // Starts one probe run. `done` must be called exactly once, on any thread;
  // the scheduler calls Cancel() if the deadline passes first and then frees
  // the slot without waiting for `done`.
  virtual void Start(std::chrono::steady_clock::time_point deadline,
                     std::function<void()> done) = 0;
  virtual void Cancel() {}
};

struct ProbeSchedule {
  std::chrono::milliseconds interval{10'000};
  std::chrono::milliseconds timeout{5'000};
  // Each run is moved by up to +/- jitter/2 of the interval, and the first
  // run falls at a random point of the first interval, so that 64 cameras
  // added at once are not probed in the same millisecond.
  double jitter = 0.1;
};

// Runs probes on Asio timers with per-probe interval, jitter and deadline and
// a global concurrency limit. Probe load does not depend on scrapes: nothing
// here is triggered by a scrape. All methods must be called on the
// io_context's thread.
class ProbeScheduler {
 public:
  using Id = std::uint64_t;
  ProbeScheduler(boost::asio::io_context& io, std::size_t max_concurrent);
  ~ProbeScheduler();
  ProbeScheduler(const ProbeScheduler&) = delete;
  ProbeScheduler& operator=(const ProbeScheduler&) = delete;

  Id Add(std::shared_ptr<Probe> probe, ProbeSchedule schedule);
  // Stops scheduling the probe; a run in flight is cancelled.
  void Remove(Id id);
  void Stop();

  std::size_t running() const { return running_; }

 private:
  struct Entry;
  void ArmNext(const std::shared_ptr<Entry>& entry, std::chrono::steady_clock::duration delay);
  void Enqueue(const std::shared_ptr<Entry>& entry);
  void Dispatch();
  void Finish(const std::shared_ptr<Entry>& entry, std::uint64_t run);
  std::chrono::steady_clock::duration Jittered(const ProbeSchedule& s, bool first);

  boost::asio::io_context& io_;
  std::size_t max_concurrent_;
  std::size_t running_ = 0;
  Id next_id_ = 1;
  bool stopped_ = false;
  std::map<Id, std::shared_ptr<Entry>> entries_;
  std::deque<std::shared_ptr<Entry>> ready_;
  std::mt19937_64 rng_;
  // Expires with the scheduler: a probe's `done` may arrive after a config
  // reload replaced the scheduler, and must then do nothing.
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace vms
