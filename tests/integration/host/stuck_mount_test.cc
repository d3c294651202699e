// A real FUSE file system whose statfs blocks (tests/fixtures/host/slow_statfs_fs.py)
// stands in for a dead NFS server, under the real recording_node_exporter.
//
// The test moves itself into a private mount namespace first: the FUSE mount
// then exists only for this test and its children. On the shared namespace
// every other statfs caller on the machine (a node_exporter, df, another
// test) would hang on it.

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "support/exporter_process.h"
#include "support/http_client.h"
#include "support/metrics_text.h"
#include "support/subprocess.h"
#include "vms/base/file.h"

namespace vms {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kMountTimeout = 1s;
// Correctness, not benchmarking: a scrape that waited for the stuck mount
// takes the mount timeout; anything near this bound means it hung.
constexpr auto kScrapeBound = kMountTimeout + 1500ms;

bool Mounted(const std::string& mount_point) {
  auto text = ReadFile("/proc/self/mountinfo");
  return text.ok() && text->find(" " + mount_point + " ") != std::string::npos;
}

// Whether a server could listen on 127.0.0.1:port now (as the exporter does,
// with SO_REUSEADDR).
bool CanListen(unsigned short port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok =
      ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 && ::listen(fd, 1) == 0;
  ::close(fd);
  return ok;
}

int ThreadCount(pid_t pid) {
  auto status = ReadFile("/proc/" + std::to_string(pid) + "/status");
  if (!status) return -1;
  const auto at = status->find("\nThreads:");
  if (at == std::string::npos) return -1;
  return std::atoi(status->c_str() + at + std::strlen("\nThreads:"));
}

class StuckMountTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::access("/dev/fuse", R_OK | W_OK) != 0) {
      GTEST_SKIP() << "/dev/fuse is not usable here: " << std::strerror(errno);
    }
    if (test::RunCommand("/usr/bin/python3 -c 'import fuse'").exit_code != 0) {
      GTEST_SKIP() << "Debian's python3-fuse is not installed (scripts/packages-test.txt)";
    }
    if (::unshare(CLONE_NEWNS) != 0 ||
        ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
      GTEST_SKIP() << "no private mount namespace (" << std::strerror(errno)
                   << "); mounting a stuck FUSE file system where the whole machine sees it "
                      "would hang other processes";
    }
    dir_ = test::MakeTempDir();
    mount_point_ = dir_ + "/stuck";
    control_ = dir_ + "/stall";
    std::filesystem::create_directory(mount_point_);
    fuse_ = std::make_unique<test::Subprocess>(
        std::vector<std::string>{"/usr/bin/python3",
                                 test::SourcePath("tests/fixtures/host/slow_statfs_fs.py"),
                                 mount_point_, "-f", "-o", "control=" + control_},
        dir_ + "/fuse.log");
    for (int i = 0; i < 200 && !Mounted(mount_point_); ++i) std::this_thread::sleep_for(50ms);
    ASSERT_TRUE(Mounted(mount_point_))
        << "FUSE file system did not mount: " << ReadFile(dir_ + "/fuse.log").value();

    const std::string config = dir_ + "/config.yml";
    std::ofstream(config) << "host:\n"
                             "  disk_space:\n"
                             "    mount_timeout: 1s\n"
                             "    fs_types_exclude: \"^(proc|sysfs|devtmpfs|devpts|cgroup2?|"
                             "mqueue|tmpfs)$\"\n";
    // Only the collectors under test: fewer threads that are not ours.
    exporter_ = std::make_unique<test::ExporterProcess>(
        "recording_node_exporter",
        std::vector<std::string>{"--config.file=" + config, "--no-collector.cameras",
                                 "--no-collector.processes"});
    ASSERT_TRUE(exporter_->ready()) << exporter_->Log();
  }

  void TearDown() override {
    // Heal first, so no thread is left blocked in the kernel on the mount.
    if (!control_.empty()) std::filesystem::remove(control_);
    if (exporter_) {
      exporter_->process().Signal(SIGTERM);
      exporter_->process().Wait(10s);
      exporter_.reset();
    }
    bool unmounted = true;
    if (!mount_point_.empty() && Mounted(mount_point_)) {
      if (test::RunCommand("fusermount -u " + mount_point_).exit_code != 0 &&
          test::RunCommand("umount -l " + mount_point_).exit_code != 0) {
        unmounted = false;
        ADD_FAILURE() << "could not unmount " << mount_point_;
      }
    }
    if (fuse_) {
      if (fuse_->Wait(5s) == -1) fuse_->Signal(SIGKILL);
      fuse_.reset();  // reaps
    }
    if (!dir_.empty() && unmounted) std::filesystem::remove_all(dir_);
  }

  struct Timed {
    test::HttpReply reply;
    Clock::duration took;
  };
  Timed Scrape() {
    const auto start = Clock::now();
    test::HttpReply reply = test::HttpRequestOnce(exporter_->port(), "GET", "/metrics", {}, 30s);
    return {std::move(reply), Clock::now() - start};
  }
  std::string Series(const std::string& name) const {
    return name + "{mount_point=\"" + mount_point_ + "\"}";
  }
  bool HasSize(const std::string& body) const {
    return body.find("disk_space_total_bytes{mount_point=\"" + mount_point_ + "\"") !=
           std::string::npos;
  }

  std::string dir_, mount_point_, control_;
  std::unique_ptr<test::Subprocess> fuse_;
  std::unique_ptr<test::ExporterProcess> exporter_;
};

TEST_F(StuckMountTest, StuckMountIsStaleScrapesStayFastAndThreadsBounded) {
  // Healthy: reported with the sizes the FUSE script returns.
  Timed healthy = Scrape();
  ASSERT_EQ(healthy.reply.status, 200) << healthy.reply.error;
  EXPECT_EQ(test::FindSample(healthy.reply.body, Series("disk_mount_stale")), 0);
  EXPECT_EQ(
      test::FindSample(healthy.reply.body,
                       "disk_space_total_bytes{mount_point=\"" + mount_point_ +
                           "\",device=\"slow_statfs_fs.py\",fstype=\"fuse.slow_statfs_fs.py\"}"),
      1000.0 * 4096);
  EXPECT_EQ(test::FindSample(healthy.reply.body, Series("disk_inodes_free")), 40);

  std::ofstream(control_) << "stall\n";
  const pid_t pid = exporter_->process().pid();
  std::vector<double> seconds;
  int threads_first = -1;
  int threads_max = 0;
  for (int i = 0; i < 50; ++i) {
    SCOPED_TRACE("scrape " + std::to_string(i));
    Timed t = Scrape();
    seconds.push_back(std::chrono::duration<double>(t.took).count());
    ASSERT_EQ(t.reply.status, 200) << t.reply.error;
    EXPECT_LE(t.took, kScrapeBound);
    EXPECT_EQ(test::FindSample(t.reply.body, Series("disk_mount_stale")), 1);
    EXPECT_FALSE(HasSize(t.reply.body));
    EXPECT_TRUE(test::FindSample(t.reply.body, Series("disk_mount_readonly")).has_value());
    EXPECT_TRUE(t.reply.body.find("disk_space_total_bytes{mount_point=\"/\"") != std::string::npos);
    EXPECT_EQ(
        test::FindSample(t.reply.body, "vms_exporter_collector_success{collector=\"diskspace\"}"),
        1);
    const int threads = ThreadCount(pid);
    if (threads_first < 0) threads_first = threads;
    threads_max = std::max(threads_max, threads);
  }
  // One blocked statvfs thread for the stuck mount, not one per scrape.
  EXPECT_GT(threads_first, 0);
  EXPECT_LE(threads_max, threads_first + 2);

  std::sort(seconds.begin(), seconds.end());
  RecordProperty("first_stuck_scrape_seconds", std::to_string(seconds.back()));
  RecordProperty("median_stuck_scrape_seconds", std::to_string(seconds[seconds.size() / 2]));
  RecordProperty("threads_first", threads_first);
  RecordProperty("threads_max", threads_max);
  std::cout << "stuck scrapes: median " << seconds[seconds.size() / 2] << " s, max "
            << seconds.back() << " s; exporter threads " << threads_first << " .. " << threads_max
            << "\n";

  // Healed: the blocked call returns and the mount is reported again.
  std::filesystem::remove(control_);
  bool healed = false;
  std::string last;
  for (auto end = Clock::now() + 15s; Clock::now() < end && !healed;) {
    Timed t = Scrape();
    last = t.reply.body;
    healed = test::FindSample(last, Series("disk_mount_stale")) == 0 && HasSize(last);
    if (!healed) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(healed) << last;
  EXPECT_EQ(test::FindSample(last, Series("disk_inodes")), 100);
  EXPECT_THAT(exporter_->Log(), ::testing::HasSubstr("is stale"));
}

// systemctl restart must work on a node whose storage hangs. A thread blocked
// in a FUSE statfs that the daemon has already read cannot be killed (the
// kernel waits for the answer; NFS waits are killable), so the old process
// is only reaped once the file system answers; but it must stop serving and
// free its port at once, so the new exporter can start.
TEST_F(StuckMountTest, ExporterShutsDownWhileAStatvfsIsBlocked) {
  std::ofstream(control_) << "stall\n";
  Timed t = Scrape();
  ASSERT_EQ(t.reply.status, 200) << t.reply.error;
  ASSERT_EQ(test::FindSample(t.reply.body, Series("disk_mount_stale")), 1);
  const unsigned short port = exporter_->port();
  ASSERT_FALSE(CanListen(port)) << "the check must see a serving exporter's port as taken";
  exporter_->process().Signal(SIGTERM);

  bool port_free = false;
  for (auto end = Clock::now() + 10s; Clock::now() < end && !port_free;) {
    port_free = CanListen(port);
    if (!port_free) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(port_free) << "port " << port << " still held after SIGTERM";

  std::filesystem::remove(control_);
  const int status = exporter_->process().Wait(10s);
  ASSERT_NE(status, -1) << "exporter not reaped after the mount answered";
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "wait status " << status;
}

}  // namespace
}  // namespace vms
