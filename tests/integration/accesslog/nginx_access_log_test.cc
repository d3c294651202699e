// The access-log pipeline against a real nginx writing the shipped `vms`
// format: every request curl sends is delivered exactly once through rename
// rotation with USR1, copytruncate, and restarts of the reader from its
// checkpoint, all while traffic flows.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "support/nginx_process.h"
#include "support/subprocess.h"
#include "vms/accesslog/access_log_reader.h"
#include "vms/base/text.h"

namespace vms {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

class NginxAccessLogTest : public ::testing::Test {
 protected:
  NginxAccessLogTest()
      : nginx_("include " + test::SourcePath("deploy/nginx/vms-log-format.conf") +
                   ";\n  access_log logs/access.log vms;\n  keepalive_requests 100000;",
               "location / { return 200 \"ok\\n\"; }"),
        log_(nginx_.prefix() + "/logs/access.log"),
        state_dir_(nginx_.prefix() + "/state") {
    fs::create_directory(state_dir_);
    source_.path = log_;
    source_.name = "gateway";
    source_.follower.poll_interval = milliseconds(50);
    source_.follower.state_dir = state_dir_;
    source_.follower.rotate_wait = milliseconds(2000);
  }

  void SetUp() override { ASSERT_TRUE(nginx_.ready()) << nginx_.ErrorLog(); }

  std::unique_ptr<AccessLogReader> StartReader() {
    auto reader = std::make_unique<AccessLogReader>(
        std::vector<AccessLogSourceConfig>{source_},
        [this](std::size_t, const AccessLogSourceConfig&, std::span<const AccessRecord> records) {
          std::this_thread::sleep_for(milliseconds(consumer_delay_ms_.load()));
          std::lock_guard lock(mu_);
          for (const AccessRecord& r : records) {
            int id = -1;
            if (r.path == "/r" && r.query.starts_with("id=") &&
                ParseNumber(std::string_view(r.query).substr(3), id)) {
              ++seen_[id];
            } else {
              ++other_;
            }
          }
        });
    reader->Start();
    return reader;
  }

  // curl sends requests first..last (GET /r?id=N) on one keep-alive
  // connection, in the background.
  std::unique_ptr<test::Subprocess> Traffic(int first, int last) {
    const std::string url = "http://127.0.0.1:" + std::to_string(nginx_.port()) + "/r?id=[" +
                            std::to_string(first) + "-" + std::to_string(last) + "]";
    return std::make_unique<test::Subprocess>(
        std::vector<std::string>{"/usr/bin/curl", "-sS", "--fail", "-o", "/dev/null", url},
        nginx_.prefix() + "/curl.out");
  }

  void Finish(test::Subprocess& curl) {
    ASSERT_EQ(curl.Wait(std::chrono::seconds(120)), 0) << nginx_.ErrorLog();
  }

  std::size_t Delivered() {
    std::lock_guard lock(mu_);
    std::size_t n = 0;
    for (const auto& [id, count] : seen_) n += count;
    return n;
  }

  // Waits until at least `n` requests were delivered (bounded, not a timed
  // assertion: a slow machine only waits longer).
  void WaitForDelivered(std::size_t n) {
    for (int i = 0; i < 3000 && Delivered() < n; ++i) std::this_thread::sleep_for(milliseconds(10));
  }

  // Lines nginx has written so far, counted in the file at `path`.
  static std::size_t LinesIn(const std::string& path) {
    auto r = test::RunCommand("cat " + path + " 2>/dev/null | wc -l");
    std::size_t n = 0;
    (void)ParseNumber(std::string_view(Trim(r.output)), n);
    return n;
  }

  // Every id of first..last exactly once, nothing else.
  void ExpectExactlyOnce(int first, int last) {
    WaitForDelivered(static_cast<std::size_t>(last - first + 1));
    // A moment more, so a duplicate delivered late would show.
    std::this_thread::sleep_for(milliseconds(200));
    std::lock_guard lock(mu_);
    int missing = 0, twice = 0;
    std::string missing_ids;
    for (int id = first; id <= last; ++id) {
      const auto it = seen_.find(id);
      if (it == seen_.end() && ++missing <= 20) missing_ids += " " + std::to_string(id);
      if (it != seen_.end() && it->second > 1) ++twice;
    }
    EXPECT_EQ(missing, 0) << "first missing:" << missing_ids;
    EXPECT_EQ(twice, 0);
    EXPECT_EQ(seen_.size(), static_cast<std::size_t>(last - first + 1));
    EXPECT_EQ(other_, 0u);
  }

  test::NginxProcess nginx_;
  const std::string log_;
  const std::string state_dir_;
  AccessLogSourceConfig source_;
  std::atomic<int> consumer_delay_ms_{0};  // a slow consumer: the follower falls behind
  std::mutex mu_;
  std::map<int, int> seen_;  // id → times delivered
  std::size_t other_ = 0;
};

TEST_F(NginxAccessLogTest, RenameRotationWithUsr1DuringTraffic) {
  // The first start reads from the end: nothing is there yet but nginx's
  // file, so start the reader before the traffic.
  auto reader = StartReader();
  constexpr int kRequests = 3000;
  auto curl = Traffic(1, kRequests);
  WaitForDelivered(300);
  // logrotate: rename, then postrotate `kill -USR1` nginx.
  fs::rename(log_, log_ + ".1");
  nginx_.ReopenLogs();
  Finish(*curl);
  ExpectExactlyOnce(1, kRequests);
  EXPECT_LT(LinesIn(log_ + ".1"), static_cast<std::size_t>(kRequests)) << "rotated after traffic";
  EXPECT_GT(LinesIn(log_), 0u) << "nginx did not reopen";
  const auto stats = reader->Stats()[0].stats;
  EXPECT_EQ(stats.rotations_rename, 1u);
  EXPECT_EQ(stats.rotations_truncate, 0u);
  EXPECT_EQ(stats.parse_errors, 0u);
  EXPECT_TRUE(stats.file_present);

  // Garbage appended to the live log: counted as parse errors, and an
  // over-long line as dropped; nothing is delivered, nothing crashes.
  {
    const int fd = ::open(log_.c_str(), O_WRONLY | O_APPEND);
    ASSERT_GE(fd, 0);
    const std::string garbage = std::string("garbage\n") + "vms1\t1733212345.1\t127.0.0.1\tGET\n" +
                                std::string("\x00\x01\xff binary\n", 12) + std::string(20000, 'x') +
                                "\n";
    ASSERT_EQ(::write(fd, garbage.data(), garbage.size()), static_cast<ssize_t>(garbage.size()));
    ::close(fd);
  }
  for (int i = 0; i < 3000 && reader->Stats()[0].stats.lines_too_long < 1; ++i) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  const auto after = reader->Stats()[0].stats;
  EXPECT_EQ(after.parse_errors, 3u);
  EXPECT_EQ(after.lines_too_long, 1u);
  EXPECT_EQ(Delivered(), static_cast<std::size_t>(kRequests));
}

TEST_F(NginxAccessLogTest, CopytruncateDuringTraffic) {
  // Each batch takes the consumer 20 ms, so the follower is behind nginx
  // when the file is copied and truncated: the lines it had not read yet are
  // then only in the copy, and must be read from there.
  consumer_delay_ms_ = 20;
  auto reader = StartReader();
  constexpr int kRounds = 4, kPerRound = 500;
  for (int round = 0; round < kRounds; ++round) {
    const int first = round * kPerRound + 1, last = (round + 1) * kPerRound;
    auto curl = Traffic(first, last);
    Finish(*curl);
    // logrotate's copytruncate: copy, then truncate in place. Lines written
    // between the two are in neither file (logrotate(8) says so), so the
    // client is quiet for that instant; the follower is not, and whatever it
    // had not read yet is only in the copy.
    for (int i = 0; i < 500 && LinesIn(log_) < static_cast<std::size_t>(kPerRound); ++i) {
      std::this_thread::sleep_for(milliseconds(10));
    }
    ASSERT_EQ(test::RunCommand("cp " + log_ + " " + log_ + ".1 && truncate -s 0 " + log_).exit_code,
              0);
  }
  auto curl = Traffic(kRounds * kPerRound + 1, (kRounds + 1) * kPerRound);
  Finish(*curl);
  consumer_delay_ms_ = 0;
  ExpectExactlyOnce(1, (kRounds + 1) * kPerRound);
  const auto stats = reader->Stats()[0].stats;
  EXPECT_EQ(stats.rotations_truncate, static_cast<std::uint64_t>(kRounds));
  EXPECT_EQ(stats.rotations_rename, 0u);
  EXPECT_EQ(stats.parse_errors, 0u);
}

TEST_F(NginxAccessLogTest, RestartFromTheCheckpointDuringTraffic) {
  constexpr int kRequests = 4000;
  auto reader = StartReader();
  auto curl = Traffic(1, kRequests);
  WaitForDelivered(500);
  reader.reset();  // stops, writing the checkpoint; nginx goes on writing
  const std::size_t before = Delivered();
  std::this_thread::sleep_for(milliseconds(100));
  reader = StartReader();
  WaitForDelivered(before + 300);
  // Once more, across a rotation while the reader is down.
  reader.reset();
  fs::rename(log_, log_ + ".1");
  nginx_.ReopenLogs();
  std::this_thread::sleep_for(milliseconds(100));
  reader = StartReader();
  Finish(*curl);
  ExpectExactlyOnce(1, kRequests);
  EXPECT_GT(before, 0u);
  EXPECT_LT(before, static_cast<std::size_t>(kRequests)) << "the restart was not mid-traffic";
}

}  // namespace
}  // namespace vms
