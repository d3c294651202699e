#include "vms/host/disk_space_collector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "support/subprocess.h"

namespace vms {
namespace {

using ::testing::HasSubstr;
using Labels = std::map<std::string, std::string>;

struct Scrape {
  Status status;
  std::vector<prometheus::MetricFamily> families;

  // Every series of a family, keyed by its labels.
  std::map<Labels, double> Series(const std::string& name) const {
    std::map<Labels, double> out;
    for (const auto& f : families) {
      if (f.name != name) continue;
      for (const auto& m : f.metric) {
        Labels labels;
        for (const auto& l : m.label) labels[l.name] = l.value;
        out[labels] = m.gauge.value;
      }
    }
    return out;
  }
  std::optional<double> ByMount(const std::string& name, const std::string& mount_point) const {
    for (const auto& [labels, value] : Series(name)) {
      if (labels.at("mount_point") == mount_point) return value;
    }
    return std::nullopt;
  }
  std::set<std::string> Mounts(const std::string& name) const {
    std::set<std::string> out;
    for (const auto& [labels, value] : Series(name)) out.insert(labels.at("mount_point"));
    return out;
  }
};

Scrape Collect(DiskSpaceCollector& c) {
  Scrape s;
  MetricWriter out(&s.families);
  s.status = c.Collect({std::chrono::steady_clock::now() + std::chrono::seconds(10)}, out);
  return s;
}

const std::string kProcfs = test::SourcePath("tests/fixtures/host/proc");

// Mount points of the fixture that pass the default excludes.
const std::set<std::string> kKept = {"/",
                                     "/run",
                                     "/srv/recordings",
                                     "/srv/archive",
                                     "/mnt/nas",
                                     "/var/lib/vms-bind",
                                     "/mnt/camera exports",
                                     "/run/user/1000",
                                     "/tmp"};

// A rootfs holding the fixture's mount points as plain directories, so
// statvfs answers for each of them (with the temp file system's numbers).
std::string MakeRootfs() {
  const std::string root = test::MakeTempDir();
  for (const auto& mp : kKept) std::filesystem::create_directories(root + mp);
  return root;
}

// A StatFn that blocks on paths ending in `blocked_suffix` until Release().
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
  std::atomic<int> blocked_calls{0};
  void Release() {
    {
      std::lock_guard lock(mu);
      open = true;
    }
    cv.notify_all();
  }
};

MountWatcher::StatFn BlockingStat(std::shared_ptr<Gate> gate, std::string blocked_suffix) {
  return [gate, blocked_suffix](const std::string& path) -> Result<FsUsage> {
    if (path.ends_with(blocked_suffix)) {
      ++gate->blocked_calls;
      std::unique_lock lock(gate->mu);
      gate->cv.wait(lock, [&] { return gate->open; });
    }
    return FsUsage{1000, 400, 500, 100, 60, false};
  };
}

class DiskSpaceCollectorTest : public ::testing::Test {
 protected:
  void TearDown() override { std::filesystem::remove_all(rootfs_); }
  std::string rootfs_ = MakeRootfs();
};

TEST_F(DiskSpaceCollectorTest, ReportsEveryRealMountOnceWithLabels) {
  DiskSpaceCollector c(kProcfs, rootfs_);
  const Scrape s = Collect(c);
  ASSERT_TRUE(s.status.ok()) << s.status.message();
  EXPECT_EQ(s.Mounts("disk_space_total_bytes"), kKept);
  EXPECT_EQ(s.Mounts("disk_space_free_bytes"), kKept);
  EXPECT_EQ(s.Mounts("disk_space_used_bytes"), kKept);
  EXPECT_EQ(s.Mounts("disk_inodes"), kKept);
  EXPECT_EQ(s.Mounts("disk_inodes_free"), kKept);
  EXPECT_EQ(s.Mounts("disk_mount_readonly"), kKept);
  EXPECT_EQ(s.Mounts("disk_mount_stale"), kKept);
  // Listed twice in mountinfo, reported once.
  EXPECT_EQ(s.Series("disk_space_total_bytes").size(), kKept.size());

  const auto total = s.Series("disk_space_total_bytes");
  EXPECT_TRUE(total.contains({{"mount_point", "/srv/recordings"},
                              {"device", "/dev/mapper/vg0-recordings"},
                              {"fstype", "xfs"}}));
  EXPECT_TRUE(total.contains(
      {{"mount_point", "/mnt/nas"}, {"device", "nas01:/export/video"}, {"fstype", "nfs4"}}));
  EXPECT_TRUE(total.contains(
      {{"mount_point", "/mnt/camera exports"}, {"device", "/dev/sda1"}, {"fstype", "ext4"}}));
}

TEST_F(DiskSpaceCollectorTest, NumbersAreConsistent) {
  DiskSpaceCollector c(kProcfs, rootfs_);
  const Scrape s = Collect(c);
  ASSERT_TRUE(s.status.ok()) << s.status.message();
  for (const auto& mp : kKept) {
    SCOPED_TRACE(mp);
    const double total = *s.ByMount("disk_space_total_bytes", mp);
    EXPECT_GT(total, 0);
    EXPECT_LE(*s.ByMount("disk_space_used_bytes", mp) + *s.ByMount("disk_space_free_bytes", mp),
              total);
    EXPECT_LE(*s.ByMount("disk_inodes_free", mp), *s.ByMount("disk_inodes", mp));
    EXPECT_EQ(*s.ByMount("disk_mount_stale", mp), 0);
  }
}

TEST_F(DiskSpaceCollectorTest, ReadOnlyFromSuperblockOptions) {
  DiskSpaceCollector c(kProcfs, rootfs_);
  const Scrape s = Collect(c);
  EXPECT_EQ(s.ByMount("disk_mount_readonly", "/srv/archive"), 1);
  // A read-only bind of a writable file system (what ProtectSystem=strict
  // does to every mount in a service's namespace) is not a read-only disk.
  EXPECT_EQ(s.ByMount("disk_mount_readonly", "/var/lib/vms-bind"), 0);
  // errors=remount-ro is not "ro".
  EXPECT_EQ(s.ByMount("disk_mount_readonly", "/"), 0);
  EXPECT_EQ(s.ByMount("disk_mount_readonly", "/srv/recordings"), 0);
}

// The parsed table is reused while the mountinfo text stays the same; a
// file system remounted read-only after errors changes only that text.
TEST_F(DiskSpaceCollectorTest, MountTableChangesAreSeenOnTheNextScrape) {
  const std::string procfs = test::MakeTempDir();
  std::filesystem::create_directories(procfs + "/self");
  const std::string mountinfo = procfs + "/self/mountinfo";
  std::filesystem::copy_file(kProcfs + "/self/mountinfo", mountinfo);
  auto replace_all = [&mountinfo](const std::string& from, const std::string& to) {
    std::ifstream in(mountinfo);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_NE(text.find(from), std::string::npos) << from;
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
      text.replace(at, from.size(), to);
    }
    std::ofstream(mountinfo, std::ios::trunc) << text;
  };
  DiskSpaceCollector c(procfs, rootfs_);
  EXPECT_EQ(Collect(c).ByMount("disk_mount_readonly", "/srv/recordings"), 0);
  EXPECT_EQ(Collect(c).ByMount("disk_mount_readonly", "/srv/recordings"), 0);
  replace_all("vg0-recordings rw,attr2", "vg0-recordings ro,attr2");
  EXPECT_EQ(Collect(c).ByMount("disk_mount_readonly", "/srv/recordings"), 1);
  replace_all(" /srv/archive ", " /srv/archive2 ");
  const Scrape s = Collect(c);
  EXPECT_FALSE(s.Mounts("disk_mount_readonly").contains("/srv/archive"));
  EXPECT_TRUE(s.Mounts("disk_mount_readonly").contains("/srv/archive2"));
  std::filesystem::remove_all(procfs);
}

TEST_F(DiskSpaceCollectorTest, StatvfsReadOnlyFlagOfOurNamespaceIsIgnored) {
  DiskSpaceCollector c(kProcfs, rootfs_, [](const std::string&) -> Result<FsUsage> {
    return FsUsage{1000, 400, 500, 100, 60, true};
  });
  const Scrape s = Collect(c);
  EXPECT_EQ(s.ByMount("disk_mount_readonly", "/"), 0);
  EXPECT_EQ(s.ByMount("disk_mount_readonly", "/srv/archive"), 1);
}

TEST_F(DiskSpaceCollectorTest, ConfigureChangesExcludes) {
  DiskSpaceCollector c(kProcfs, rootfs_);
  DiskSpaceConfig config;
  config.fs_types_exclude = "^(tmpfs|nfs4|proc|sysfs|devtmpfs|cgroup2)$";
  config.mount_points_exclude = "^/(dev|proc|sys|var)($|/)";
  c.Configure(config);
  const Scrape s = Collect(c);
  ASSERT_TRUE(s.status.ok()) << s.status.message();
  EXPECT_EQ(s.Mounts("disk_space_total_bytes"),
            (std::set<std::string>{"/", "/srv/recordings", "/srv/archive", "/mnt/camera exports"}));
}

// The calls for the last scrape's mounts start before the mount table is
// read; each scrape still asks every mount once and reports its own answers.
TEST_F(DiskSpaceCollectorTest, EveryScrapeAsksEachMountOnceAndReportsItsOwnAnswers) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  DiskSpaceCollector c(kProcfs, rootfs_, [calls](const std::string&) -> Result<FsUsage> {
    const auto n = static_cast<std::uint64_t>(++*calls);
    return FsUsage{n, 0, 0, 0, 0, false};
  });
  const int mounts = static_cast<int>(kKept.size());
  for (int scrape = 1; scrape <= 3; ++scrape) {
    const Scrape s = Collect(c);
    ASSERT_TRUE(s.status.ok()) << s.status.message();
    EXPECT_EQ(calls->load(), scrape * mounts);
    ASSERT_EQ(s.Series("disk_space_total_bytes").size(), kKept.size());
    for (const auto& [labels, call] : s.Series("disk_space_total_bytes")) {
      EXPECT_GT(call, (scrape - 1) * mounts) << labels.at("mount_point");
    }
  }
  // /tmp excluded now: asked once more (started before the table said so),
  // not reported, and not asked again.
  DiskSpaceConfig config;
  config.mount_points_exclude = "^/(dev|proc|sys|tmp)($|/)";
  c.Configure(config);
  EXPECT_FALSE(Collect(c).Mounts("disk_space_total_bytes").contains("/tmp"));
  // Nothing waits for /tmp's answer any more, so it may land after the scrape.
  for (int i = 0; i < 500 && calls->load() < 4 * mounts; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(calls->load(), 4 * mounts);
  EXPECT_FALSE(Collect(c).Mounts("disk_space_total_bytes").contains("/tmp"));
  EXPECT_EQ(calls->load(), 5 * mounts - 1);
}

TEST_F(DiskSpaceCollectorTest, EmptyExcludePatternsExcludeNothing) {
  DiskSpaceCollector c(kProcfs, rootfs_);
  DiskSpaceConfig config;
  config.fs_types_exclude = "";
  config.mount_points_exclude = "";
  c.Configure(config);
  const Scrape s = Collect(c);
  EXPECT_TRUE(s.Mounts("disk_mount_stale").contains("/proc"));
  EXPECT_TRUE(s.Mounts("disk_mount_stale").contains("/sys/fs/cgroup"));
}

TEST_F(DiskSpaceCollectorTest, StuckMountIsStaleAndItsSizeLeftOut) {
  auto gate = std::make_shared<Gate>();
  DiskSpaceCollector c(kProcfs, rootfs_, BlockingStat(gate, "/mnt/nas"));
  DiskSpaceConfig config;
  // Long enough for the mounts that do answer, even on a loaded machine.
  config.mount_timeout = std::chrono::milliseconds(500);
  c.Configure(config);

  for (int i = 0; i < 5; ++i) {
    const Scrape s = Collect(c);
    ASSERT_TRUE(s.status.ok()) << s.status.message();
    EXPECT_EQ(s.ByMount("disk_mount_stale", "/mnt/nas"), 1);
    EXPECT_FALSE(s.ByMount("disk_space_total_bytes", "/mnt/nas").has_value());
    EXPECT_FALSE(s.ByMount("disk_inodes", "/mnt/nas").has_value());
    EXPECT_EQ(s.ByMount("disk_mount_readonly", "/mnt/nas"), 0);
    EXPECT_EQ(s.ByMount("disk_mount_stale", "/srv/recordings"), 0);
    EXPECT_EQ(s.ByMount("disk_space_total_bytes", "/srv/recordings"), 1000);
  }
  // One blocked call, however many scrapes came.
  EXPECT_EQ(gate->blocked_calls.load(), 1);

  std::vector<StatusTable> tables;
  c.AppendStatus(tables);
  ASSERT_EQ(tables.size(), 1u);
  bool listed_stale = false;
  for (const auto& row : tables[0].rows) {
    if (row[0] == "/mnt/nas") listed_stale = row[3] == "stale";
  }
  EXPECT_TRUE(listed_stale);

  gate->Release();
  // The released call finishes on its own thread; the next scrape after it
  // reports the mount again.
  std::optional<double> size;
  for (int i = 0; i < 200 && !size; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const Scrape s = Collect(c);
    size = s.ByMount("disk_space_total_bytes", "/mnt/nas");
    if (size) {
      EXPECT_EQ(s.ByMount("disk_mount_stale", "/mnt/nas"), 0);
    }
  }
  EXPECT_EQ(size, 1000);
}

TEST_F(DiskSpaceCollectorTest, MountTableOfTheTreeStatvfsWalks) {
  // With its own root the collector watches a host: PID 1's mount table.
  const std::string procfs = test::MakeTempDir();
  std::filesystem::create_directories(procfs + "/self");
  std::filesystem::create_directories(procfs + "/1");
  std::ofstream(procfs + "/self/mountinfo") << "27 1 8:1 / /tmp rw - ext4 /dev/sda1 rw\n";
  std::ofstream(procfs + "/1/mountinfo") << "27 1 8:1 / /srv/archive rw - ext4 /dev/sdb1 rw\n";
  DiskSpaceCollector host(procfs, rootfs_);
  EXPECT_EQ(Collect(host).Mounts("disk_mount_stale"), std::set<std::string>{"/srv/archive"});
  DiskSpaceCollector own(procfs, "/");
  EXPECT_EQ(Collect(own).Mounts("disk_mount_stale"), std::set<std::string>{"/tmp"});
  std::filesystem::remove_all(procfs);
}

TEST_F(DiskSpaceCollectorTest, MissingMountTableFailsTheCollector) {
  const std::string empty = test::MakeTempDir();
  DiskSpaceCollector c(empty, "/");
  const Scrape s = Collect(c);
  EXPECT_FALSE(s.status.ok());
  EXPECT_THAT(s.status.message(), HasSubstr("self/mountinfo"));
  std::filesystem::remove_all(empty);
}

TEST_F(DiskSpaceCollectorTest, StatvfsFailingEverywhereFailsTheCollector) {
  DiskSpaceCollector c(kProcfs, rootfs_ + "/does-not-exist");
  const Scrape s = Collect(c);
  EXPECT_FALSE(s.status.ok());
  EXPECT_THAT(s.status.message(), HasSubstr("statvfs"));
}

TEST_F(DiskSpaceCollectorTest, OneFailingMountLosesOnlyItsSizes) {
  std::filesystem::remove(rootfs_ + "/tmp");
  DiskSpaceCollector c(kProcfs, rootfs_);
  const Scrape s = Collect(c);
  ASSERT_TRUE(s.status.ok()) << s.status.message();
  EXPECT_FALSE(s.ByMount("disk_space_total_bytes", "/tmp").has_value());
  EXPECT_EQ(s.ByMount("disk_mount_stale", "/tmp"), 0);
  EXPECT_TRUE(s.ByMount("disk_space_total_bytes", "/srv/archive").has_value());
}

}  // namespace
}  // namespace vms
