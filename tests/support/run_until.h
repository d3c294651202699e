#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>

namespace vms::test {

// Runs `io` until `done()` holds (checked every 5 ms on the loop itself) or
// `limit` passed, then calls `finish` (e.g. a scheduler's Stop()) and stops
// the loop. Header-only: the tests using it link Asio, the support library
// does not.
inline void RunUntil(boost::asio::io_context& io, const std::function<bool()>& done,
                     std::chrono::milliseconds limit, const std::function<void()>& finish = {}) {
  boost::asio::steady_timer poll(io);
  const auto give_up = std::chrono::steady_clock::now() + limit;
  std::function<void()> check = [&] {
    if (done() || std::chrono::steady_clock::now() > give_up) {
      if (finish) finish();
      io.stop();
      return;
    }
    poll.expires_after(std::chrono::milliseconds(5));
    poll.async_wait([&](const boost::system::error_code&) { check(); });
  };
  check();
  io.restart();
  io.run();
}

}  // namespace vms::test
