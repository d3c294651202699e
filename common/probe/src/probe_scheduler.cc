#include "vms/probe/probe_scheduler.h"

#include <boost/asio/post.hpp>

namespace vms {

struct ProbeScheduler::Entry {
  Entry(boost::asio::io_context& io, std::shared_ptr<Probe> p, ProbeSchedule s)
      : probe(std::move(p)), schedule(s), timer(io), deadline_timer(io) {}
  std::shared_ptr<Probe> probe;
  ProbeSchedule schedule;
  boost::asio::steady_timer timer;
  boost::asio::steady_timer deadline_timer;
  bool removed = false;
  bool queued = false;
  bool in_flight = false;
  std::uint64_t run = 0;  // which run `in_flight` refers to
  std::chrono::steady_clock::time_point last_start{};
};

ProbeScheduler::ProbeScheduler(boost::asio::io_context& io, std::size_t max_concurrent)
    : io_(io), max_concurrent_(max_concurrent == 0 ? 1 : max_concurrent),
      rng_(std::random_device{}()) {}

ProbeScheduler::~ProbeScheduler() {
  Stop();
  alive_.reset();
}

std::chrono::steady_clock::duration ProbeScheduler::Jittered(const ProbeSchedule& s, bool first) {
  const double interval = static_cast<double>(s.interval.count());
  double ms;
  if (first) {
    ms = std::uniform_real_distribution<double>(0, interval * std::max(s.jitter, 0.0))(rng_);
  } else {
    const double spread = interval * s.jitter / 2;
    ms = interval + std::uniform_real_distribution<double>(-spread, spread)(rng_);
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::max(ms, 0.0)));
}

ProbeScheduler::Id ProbeScheduler::Add(std::shared_ptr<Probe> probe, ProbeSchedule schedule) {
  const Id id = next_id_++;
  auto entry = std::make_shared<Entry>(io_, std::move(probe), schedule);
  entries_[id] = entry;
  ArmNext(entry, Jittered(schedule, /*first=*/true));
  return id;
}

void ProbeScheduler::Remove(Id id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  auto entry = it->second;
  entries_.erase(it);
  entry->removed = true;
  entry->timer.cancel();
  if (entry->in_flight) {
    entry->probe->Cancel();
    Finish(entry, entry->run);
  }
  std::erase(ready_, entry);
}

void ProbeScheduler::Stop() {
  if (stopped_) return;
  stopped_ = true;
  while (!entries_.empty()) Remove(entries_.begin()->first);
}

void ProbeScheduler::ArmNext(const std::shared_ptr<Entry>& entry,
                             std::chrono::steady_clock::duration delay) {
  entry->timer.expires_after(delay);
  entry->timer.async_wait([this, weak = std::weak_ptr<Entry>(entry)](auto ec) {
    auto e = weak.lock();
    if (ec || !e || e->removed) return;
    Enqueue(e);
  });
}

void ProbeScheduler::Enqueue(const std::shared_ptr<Entry>& entry) {
  // A probe still running or waiting for a slot is not queued twice: a slow
  // camera is probed less often, never piled up.
  if (entry->queued || entry->in_flight) return;
  entry->queued = true;
  ready_.push_back(entry);
  Dispatch();
}

void ProbeScheduler::Dispatch() {
  while (running_ < max_concurrent_ && !ready_.empty()) {
    auto entry = ready_.front();
    ready_.pop_front();
    entry->queued = false;
    if (entry->removed) continue;
    ++running_;
    entry->in_flight = true;
    const std::uint64_t run = ++entry->run;
    entry->last_start = std::chrono::steady_clock::now();
    const auto deadline = entry->last_start + entry->schedule.timeout;

    entry->deadline_timer.expires_at(deadline);
    entry->deadline_timer.async_wait([this, entry, run](auto ec) {
      if (ec || !entry->in_flight || entry->run != run) return;
      entry->probe->Cancel();
      Finish(entry, run);
    });
    // `done` may come from any thread and after a deadline already freed the
    // slot; it is posted to the loop and matched to its run. It holds the
    // entry weakly: a probe keeping `done` after Cancel() (a hung one) must
    // not keep its own entry alive (a cycle ASan's leak check found). A
    // removed entry's run was finished by Remove().
    auto done = [this, &io = io_, alive = std::weak_ptr<char>(alive_),
                 weak = std::weak_ptr<Entry>(entry), run] {
      boost::asio::post(io, [this, alive, weak, run] {
        if (alive.expired()) return;
        if (auto e = weak.lock()) Finish(e, run);
      });
    };
    entry->probe->Start(deadline, std::move(done));
  }
}

void ProbeScheduler::Finish(const std::shared_ptr<Entry>& entry, std::uint64_t run) {
  if (!entry->in_flight || entry->run != run) return;
  entry->in_flight = false;
  entry->deadline_timer.cancel();
  --running_;
  if (!entry->removed && !stopped_) {
    // The interval is measured from the start of the run, so a probe's period
    // does not drift by its own duration.
    const auto next_start = entry->last_start + Jittered(entry->schedule, false);
    const auto now = std::chrono::steady_clock::now();
    ArmNext(entry, next_start > now ? next_start - now : std::chrono::steady_clock::duration{});
  }
  Dispatch();
}

}  // namespace vms
