// Nothing the database probes do blocks the event loop: a 50 ms timer on the
// same io_context keeps ticking while one probe connects to a peer that
// never answers, one to a listener whose backlog is full, and one waits on a
// slow statement.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/steady_timer.hpp>

#include "pg_fixture.h"

namespace vms::pg::test {
namespace {

using Clock = std::chrono::steady_clock;

// A TCP listener on 127.0.0.1 that never accepts. With `fill` its backlog is
// filled first, so a new connection's SYN is dropped and connect() itself
// never completes; without, the kernel completes the handshake and the peer
// then says nothing, so libpq waits for the server's first message.
class Blackhole {
 public:
  explicit Blackhole(bool fill) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(listener_, 0), 0);
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    if (!fill) return;
    // A backlog of 0 holds one connection; a few more make sure.
    for (int i = 0; i < 3; ++i) {
      const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
      fillers_.push_back(fd);
    }
  }
  ~Blackhole() {
    for (int fd : fillers_) ::close(fd);
    ::close(listener_);
  }
  unsigned short port() const { return port_; }

 private:
  int listener_ = -1;
  unsigned short port_ = 0;
  std::vector<int> fillers_;
};

// Sees each run of a probe start and end.
class TimedProbe : public Probe {
 public:
  explicit TimedProbe(std::shared_ptr<Probe> inner) : inner_(std::move(inner)) {}
  void Start(Clock::time_point deadline, std::function<void()> done) override {
    runs.push_back({Clock::now(), {}});
    inner_->Start(deadline, [this, done = std::move(done)] {
      runs.back().second = Clock::now();
      done();
    });
  }
  void Cancel() override { inner_->Cancel(); }
  std::vector<std::pair<Clock::time_point, Clock::time_point>> runs;

 private:
  std::shared_ptr<Probe> inner_;
};

TEST(EventLoopTest, TimerKeepsTickingWhileConnectsAndAStatementHang) {
  PgServerFixture pg({"vms"});
  ASSERT_TRUE(pg.server().ready()) << pg.server().Log();
  Blackhole silent(/*fill=*/false);
  Blackhole full(/*fill=*/true);
  auto blackhole_entry = [](const std::string& name, unsigned short port) {
    return "  - name: " + name + "\n    conninfo: host=127.0.0.1 port=" + std::to_string(port) +
           " dbname=vms user=monitor\n    interval: 10s\n    timeout: 1500ms\n";
  };
  auto configs = ParseConfig("databases:\n" + blackhole_entry("silent", silent.port()) +
                             blackhole_entry("full_backlog", full.port()) +
                             "  - name: slow\n    conninfo: " + pg.Conninfo("vms") +
                             "\n    password_file: " + pg.password_file() +
                             "\n    interval: 10s\n    timeout: 5s\n    queries:\n"
                             "      - query_type: sleep\n        sql: SELECT pg_sleep(30)\n"
                             "        interval: 10s\n        timeout: 1500ms\n");
  ASSERT_EQ(configs.size(), 3u);

  boost::asio::io_context io;
  ProbeScheduler scheduler(io, 8);
  std::vector<std::shared_ptr<DatabaseProbe>> probes;
  std::vector<std::shared_ptr<TimedProbe>> runs;  // silent, full_backlog, slow's sleep query
  for (auto& c : configs) probes.push_back(DatabaseProbe::Create(io, std::move(c)));
  for (std::size_t i = 0; i < 3; ++i) {
    auto schedules = probes[i]->Schedules();
    // The blackholes' statistics runs (which connect), and the slow
    // database's query run (whose connect succeeds, then the statement
    // sleeps); the slow database's own statistics run stays out of the way.
    const auto& s = i < 2 ? schedules[0] : schedules[1];
    runs.push_back(std::make_shared<TimedProbe>(s.probe));
    scheduler.Add(runs.back(),
                  {.interval = s.schedule.interval, .timeout = s.schedule.timeout, .jitter = 0});
  }

  std::vector<Clock::time_point> ticks;
  boost::asio::steady_timer timer(io);
  std::function<void()> tick = [&] {
    ticks.push_back(Clock::now());
    timer.expires_after(50ms);
    timer.async_wait([&](boost::system::error_code ec) {
      if (!ec) tick();
    });
  };
  tick();
  // Until all three runs ended (each at its timeout), or a limit.
  const auto give_up = Clock::now() + 20s;
  boost::asio::steady_timer check(io);
  std::function<void()> poll = [&] {
    bool all_done = true;
    for (auto& r : runs)
      all_done = all_done && !r->runs.empty() && r->runs[0].second != Clock::time_point{};
    if (all_done || Clock::now() > give_up) {
      scheduler.Stop();
      for (auto& p : probes) p->Shutdown();
      timer.cancel();
      return;
    }
    check.expires_after(10ms);
    check.async_wait([&](auto) { poll(); });
  };
  poll();
  io.run();

  const char* names[] = {"silent", "full_backlog", "slow query"};
  for (std::size_t i = 0; i < 3; ++i) {
    ASSERT_FALSE(runs[i]->runs.empty()) << names[i];
    const auto [start, end] = runs[i]->runs[0];
    ASSERT_NE(end, Clock::time_point{}) << names[i] << " never ended";
    std::size_t inside = 0;
    Clock::duration max_gap{};
    for (std::size_t t = 1; t < ticks.size(); ++t) {
      if (ticks[t] > start && ticks[t] < end) ++inside;
      if (ticks[t - 1] >= start && ticks[t] <= end)
        max_gap = std::max(max_gap, ticks[t] - ticks[t - 1]);
    }
    std::cout << names[i] << ": run of "
              << std::chrono::duration_cast<std::chrono::milliseconds>(end - start).count()
              << " ms, " << inside << " ticks of the 50 ms timer inside it, largest gap "
              << std::chrono::duration_cast<std::chrono::milliseconds>(max_gap).count() << " ms\n";
    // A blocked loop would tick once at most during the run; ~25 are due.
    EXPECT_GE(inside, 5u) << names[i];
  }
  // Each ended by its own timeout, classified as one.
  EXPECT_EQ(Errors(*probes[0]->Latest(), "stats", PgErrorReason::kTimeout), 1u)
      << probes[0]->Latest()->last_error;
  EXPECT_EQ(Errors(*probes[1]->Latest(), "stats", PgErrorReason::kTimeout), 1u)
      << probes[1]->Latest()->last_error;
  EXPECT_EQ(Errors(*probes[2]->Latest(), "sleep", PgErrorReason::kTimeout), 1u)
      << probes[2]->Latest()->last_error;
  EXPECT_FALSE(probes[0]->Latest()->up);
  EXPECT_FALSE(probes[1]->Latest()->up);
}

}  // namespace
}  // namespace vms::pg::test
