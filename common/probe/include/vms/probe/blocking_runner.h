#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>

namespace vms {

// Runs blocking calls (reading a file that may sit on a dead NFS mount) on
// threads of its own and hands each result back on the io_context, so the
// event loop never waits on one. A call that never returns is left running
// and holds one of the threads; later jobs wait for a free one (callers that
// need a deadline enforce it themselves and drop the late answer). Results
// arriving after the runner is destroyed are dropped.
class BlockingRunner {
 public:
  BlockingRunner(boost::asio::io_context& io, std::size_t threads);
  ~BlockingRunner();
  BlockingRunner(const BlockingRunner&) = delete;
  BlockingRunner& operator=(const BlockingRunner&) = delete;

  // `work` runs on a worker thread; `done(result)` then runs on the
  // io_context. Either may be dropped if the runner is gone first.
  template <typename T>
  void Run(std::function<T()> work, std::function<void(T)> done) {
    Enqueue([work = std::move(work), done = std::move(done)]() mutable -> std::function<void()> {
      T result = work();
      return [done = std::move(done), result = std::move(result)]() mutable {
        done(std::move(result));
      };
    });
  }

  // Jobs waiting and running now. A job stops counting before its answer is
  // posted, so `done` already sees it gone.
  std::size_t pending() const;

 private:
  // Runs the blocking work and returns the answer to post on the loop.
  using Job = std::function<std::function<void()>()>;
  // Shared with the threads, which may outlive the runner while stuck.
  struct State {
    std::mutex mu;
    std::condition_variable wake;
    std::deque<Job> jobs;                   // guarded by mu
    boost::asio::io_context* io = nullptr;  // guarded by mu; null once the runner is gone
    std::size_t running = 0;                // guarded by mu
  };
  static void Work(std::shared_ptr<State> state);
  void Enqueue(Job job);

  std::shared_ptr<State> state_;
};

}  // namespace vms
