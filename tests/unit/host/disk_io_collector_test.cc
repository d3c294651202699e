#include "vms/host/disk_io_collector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "support/subprocess.h"

namespace vms {
namespace {

using Labels = std::map<std::string, std::string>;

struct Scrape {
  Status status;
  std::vector<prometheus::MetricFamily> families;

  const prometheus::MetricFamily* Family(const std::string& name) const {
    for (const auto& f : families) {
      if (f.name == name) return &f;
    }
    return nullptr;
  }
  std::map<Labels, const prometheus::ClientMetric*> Series(const std::string& name) const {
    std::map<Labels, const prometheus::ClientMetric*> out;
    if (const auto* f = Family(name)) {
      for (const auto& m : f->metric) {
        Labels labels;
        for (const auto& l : m.label) labels[l.name] = l.value;
        out[labels] = &m;
      }
    }
    return out;
  }
  std::set<std::string> Devices(const std::string& name) const {
    std::set<std::string> out;
    for (const auto& [labels, m] : Series(name)) out.insert(labels.at("device"));
    return out;
  }
  double Counter(const std::string& name, const std::string& device) const {
    return Series(name).at({{"device", device}})->counter.value;
  }
};

Scrape Collect(DiskIoCollector& c) {
  Scrape s;
  MetricWriter out(&s.families);
  s.status = c.Collect({std::chrono::steady_clock::now() + std::chrono::seconds(10)}, out);
  return s;
}

const std::string kProcfs = test::SourcePath("tests/fixtures/host/proc");

DiskStats Disk(std::string name, std::uint64_t reads, std::uint64_t read_ms, std::uint64_t writes,
               std::uint64_t write_ms) {
  DiskStats d;
  d.device = std::move(name);
  d.reads_completed = reads;
  d.read_time_ms = read_ms;
  d.writes_completed = writes;
  d.write_time_ms = write_ms;
  return d;
}

std::size_t BucketOf(double bound) {
  for (std::size_t i = 0; i < kDiskLatencyBounds.size(); ++i) {
    if (kDiskLatencyBounds[i] == bound) return i;
  }
  ADD_FAILURE() << "no bucket " << bound;
  return 0;
}

TEST(DiskIoCollectorTest, CountersOfWholeDisksFromTheFixture) {
  DiskIoCollector c(kProcfs, std::chrono::milliseconds(0));
  const Scrape s = Collect(c);
  ASSERT_TRUE(s.status.ok()) << s.status.message();
  const std::set<std::string> kept = {"sda", "dm-0", "nvme0n1", "md0"};
  for (const char* name :
       {"disk_io_reads_completed_total", "disk_io_writes_completed_total",
        "disk_io_read_bytes_total", "disk_io_write_bytes_total", "disk_io_read_time_seconds_total",
        "disk_io_write_time_seconds_total", "disk_io_time_seconds_total", "disk_io_in_progress"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(s.Devices(name), kept);
  }
  EXPECT_EQ(s.Counter("disk_io_reads_completed_total", "sda"), 112387);
  EXPECT_EQ(s.Counter("disk_io_writes_completed_total", "sda"), 983113);
  EXPECT_EQ(s.Counter("disk_io_read_bytes_total", "sda"), 9104542.0 * 512);
  EXPECT_EQ(s.Counter("disk_io_write_bytes_total", "nvme0n1"), 1092348120.0 * 512);
  EXPECT_DOUBLE_EQ(s.Counter("disk_io_read_time_seconds_total", "sda"), 81.232);
  EXPECT_DOUBLE_EQ(s.Counter("disk_io_write_time_seconds_total", "dm-0"), 3201.8);
  EXPECT_DOUBLE_EQ(s.Counter("disk_io_time_seconds_total", "md0"), 0);
  EXPECT_DOUBLE_EQ(s.Counter("disk_io_time_seconds_total", "sda"), 795.104);
  EXPECT_EQ(s.Series("disk_io_in_progress").at({{"device", "nvme0n1"}})->gauge.value, 3);
  EXPECT_EQ(s.Family("disk_io_reads_completed_total")->type, prometheus::MetricType::Counter);
  EXPECT_EQ(s.Family("disk_io_in_progress")->type, prometheus::MetricType::Gauge);
}

TEST(DiskIoCollectorTest, IncludeAndExcludeFromConfig) {
  DiskIoCollector c(kProcfs, std::chrono::milliseconds(0));
  DiskIoConfig config;
  config.devices_include = "^nvme";
  c.Configure(config);
  EXPECT_EQ(Collect(c).Devices("disk_io_reads_completed_total"), std::set<std::string>{"nvme0n1"});

  config.devices_include = "";
  config.devices_exclude = "";
  c.Configure(config);
  EXPECT_EQ(Collect(c).Devices("disk_io_reads_completed_total").size(), 8u);
}

TEST(DiskIoCollectorTest, MissingDiskstatsFailsTheCollector) {
  DiskIoCollector c("/nonexistent-procfs", std::chrono::milliseconds(0));
  const Scrape s = Collect(c);
  EXPECT_FALSE(s.status.ok());
  EXPECT_THAT(s.status.message(), ::testing::HasSubstr("/nonexistent-procfs/diskstats"));
  EXPECT_FALSE(c.Sample().ok());
}

TEST(LatencyBetweenTest, MeanOfTheRequestsCompleted) {
  const auto o = LatencyBetween(1000, 5000, 1100, 5200);
  ASSERT_TRUE(o.has_value());
  EXPECT_DOUBLE_EQ(o->mean_seconds, 0.002);
  EXPECT_EQ(o->requests, 100u);
}

TEST(LatencyBetweenTest, NothingCompletedOrCounterReset) {
  EXPECT_FALSE(LatencyBetween(1000, 5000, 1000, 5000).has_value());
  EXPECT_FALSE(LatencyBetween(1000, 5000, 1000, 5300).has_value());  // in flight, not done
  EXPECT_FALSE(LatencyBetween(1000, 5000, 10, 20).has_value());
  EXPECT_FALSE(LatencyBetween(1000, std::uint64_t{1} << 40, 1010, 5).has_value());
}

TEST(LatencyBetweenTest, ThirtyTwoBitTimeWrap) {
  const std::uint64_t before = (std::uint64_t{1} << 32) - 100;
  const auto o = LatencyBetween(1000, before, 1010, 50);
  ASSERT_TRUE(o.has_value());
  EXPECT_DOUBLE_EQ(o->mean_seconds, 0.015);
  EXPECT_EQ(o->requests, 10u);
}

TEST(WeightedHistogramTest, WeightCountsRequestsAndBoundsAreInclusive) {
  WeightedHistogram h;
  h.Observe(0.002, 100);
  h.Observe(0.1, 10);
  h.Observe(7.0, 3);
  EXPECT_EQ(h.bucket_counts[BucketOf(0.0025)], 100u);
  EXPECT_EQ(h.bucket_counts[BucketOf(0.1)], 10u);
  std::uint64_t finite = 0;
  for (auto n : h.bucket_counts) finite += n;
  EXPECT_EQ(finite, 110u);  // 7 s lands only in +Inf
  EXPECT_EQ(h.count, 113u);
  EXPECT_DOUBLE_EQ(h.sum, 0.2 + 1.0 + 21.0);
}

TEST(DiskLatencyTrackerTest, ObservesEachSecondWeightedByRequests) {
  DiskLatencyTracker t;
  t.Step({Disk("sda", 1000, 5000, 200, 900)});  // baseline: nothing observed
  EXPECT_EQ(t.histograms().at("sda").read.count, 0u);

  t.Step({Disk("sda", 1100, 5200, 210, 1900)});  // 100 reads at 2 ms, 10 writes at 100 ms
  t.Step({Disk("sda", 1100, 5200, 210, 1900)});  // idle second: nothing observed
  t.Step({Disk("sda", 1400, 5350, 212, 1902)});  // 300 reads at 0.5 ms, 2 writes at 1 ms

  const auto& h = t.histograms().at("sda");
  EXPECT_EQ(h.read.count, 400u);
  EXPECT_DOUBLE_EQ(h.read.sum, 0.2 + 0.15);
  EXPECT_EQ(h.read.bucket_counts[BucketOf(0.0025)], 100u);
  EXPECT_EQ(h.read.bucket_counts[BucketOf(0.0005)], 300u);
  EXPECT_EQ(h.write.count, 12u);
  EXPECT_DOUBLE_EQ(h.write.sum, 1.0 + 0.002);
  EXPECT_EQ(h.write.bucket_counts[BucketOf(0.1)], 10u);
  EXPECT_EQ(h.write.bucket_counts[BucketOf(0.001)], 2u);
}

TEST(DiskLatencyTrackerTest, DevicesAreIndependentAndForgottenWhenGone) {
  DiskLatencyTracker t;
  t.Step({Disk("sda", 0, 0, 0, 0), Disk("sdb", 0, 0, 0, 0)});
  t.Step({Disk("sda", 10, 10, 0, 0), Disk("sdb", 1, 1000, 0, 0)});
  EXPECT_EQ(t.histograms().at("sda").read.bucket_counts[BucketOf(0.001)], 10u);
  EXPECT_EQ(t.histograms().at("sdb").read.bucket_counts[BucketOf(1)], 1u);
  t.Step({Disk("sda", 10, 10, 0, 0)});
  EXPECT_FALSE(t.histograms().contains("sdb"));
  // A device that comes back starts from a new baseline.
  t.Step({Disk("sda", 10, 10, 0, 0), Disk("sdb", 5, 5000, 0, 0)});
  EXPECT_EQ(t.histograms().at("sdb").read.count, 0u);
}

TEST(DiskIoCollectorTest, SampledHistogramIsExported) {
  const std::string procfs = test::MakeTempDir();
  auto write = [&](const std::string& text) { std::ofstream(procfs + "/diskstats") << text; };
  DiskIoCollector c(procfs, std::chrono::milliseconds(0));
  write("8 0 sda 1000 0 0 5000 200 0 0 900 0 0 0\n7 0 loop0 0 0 0 0 0 0 0 0 0 0 0\n");
  ASSERT_TRUE(c.Sample().ok());
  write("8 0 sda 1100 0 0 5200 210 0 0 1900 0 0 0\n7 0 loop0 9 0 0 9 0 0 0 0 0 0 0\n");
  ASSERT_TRUE(c.Sample().ok());

  const Scrape s = Collect(c);
  ASSERT_TRUE(s.status.ok()) << s.status.message();
  const auto* family = s.Family("disk_io_latency_seconds");
  ASSERT_NE(family, nullptr);
  EXPECT_EQ(family->type, prometheus::MetricType::Histogram);
  EXPECT_THAT(family->help, ::testing::HasSubstr("once a second"));
  const auto series = s.Series("disk_io_latency_seconds");
  ASSERT_EQ(series.size(), 2u);  // loop0 is excluded by default
  const auto& read = series.at({{"device", "sda"}, {"operation", "read"}})->histogram;
  EXPECT_EQ(read.sample_count, 100u);
  EXPECT_DOUBLE_EQ(read.sample_sum, 0.2);
  ASSERT_EQ(read.bucket.size(), kDiskLatencyBounds.size() + 1);
  EXPECT_EQ(read.bucket[BucketOf(0.001)].cumulative_count, 0u);
  EXPECT_EQ(read.bucket[BucketOf(0.0025)].cumulative_count, 100u);
  const auto& write_h = series.at({{"device", "sda"}, {"operation", "write"}})->histogram;
  EXPECT_EQ(write_h.sample_count, 10u);
  EXPECT_EQ(write_h.bucket[BucketOf(0.05)].cumulative_count, 0u);
  EXPECT_EQ(write_h.bucket[BucketOf(0.1)].cumulative_count, 10u);
  std::filesystem::remove_all(procfs);
}

TEST(DiskIoCollectorTest, SamplerThreadStopsOnDestruction) {
  // Destruction must join promptly even with a long interval: the sampler
  // waits on a condition, not a sleep. A hang here fails by test timeout.
  auto c = std::make_unique<DiskIoCollector>(kProcfs, std::chrono::hours(1));
  c.reset();
  SUCCEED();
}

}  // namespace
}  // namespace vms
