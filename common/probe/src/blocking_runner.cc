#include "vms/probe/blocking_runner.h"

#include <thread>

#include "vms/base/thread_name.h"

namespace vms {

BlockingRunner::BlockingRunner(boost::asio::io_context& io, std::size_t threads)
    : state_(std::make_shared<State>()) {
  state_->io = &io;
  for (std::size_t i = 0; i < threads; ++i) std::thread(&BlockingRunner::Work, state_).detach();
}

BlockingRunner::~BlockingRunner() {
  {
    std::lock_guard lock(state_->mu);
    state_->io = nullptr;
    state_->jobs.clear();
  }
  state_->wake.notify_all();
}

void BlockingRunner::Enqueue(Job job) {
  {
    std::lock_guard lock(state_->mu);
    state_->jobs.push_back(std::move(job));
  }
  state_->wake.notify_one();
}

std::size_t BlockingRunner::pending() const {
  std::lock_guard lock(state_->mu);
  return state_->jobs.size() + state_->running;
}

void BlockingRunner::Work(std::shared_ptr<State> state) {
  NameThisThread("vms-blocking");
  // Posting holds the lock, so the runner's destructor cannot clear `io`
  // between the check and the post; the io_context outlives the runner.
  std::unique_lock lock(state->mu);
  for (;;) {
    state->wake.wait(lock, [&] { return state->io == nullptr || !state->jobs.empty(); });
    if (state->io == nullptr) return;
    Job job = std::move(state->jobs.front());
    state->jobs.pop_front();
    ++state->running;
    lock.unlock();
    std::function<void()> answer = job();
    lock.lock();
    --state->running;
    if (state->io != nullptr) boost::asio::post(*state->io, std::move(answer));
  }
}

}  // namespace vms
