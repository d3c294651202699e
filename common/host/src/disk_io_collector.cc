#include "vms/host/disk_io_collector.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "vms/base/file.h"
#include "vms/base/thread_name.h"

namespace vms {
namespace {

constexpr double kSectorBytes = 512;  // diskstats counts 512-byte sectors on every device

}  // namespace

bool DiskIoCollector::Filter::Keeps(const std::string& device) const {
  if (include && !std::regex_search(device, *include)) return false;
  return !(exclude && std::regex_search(device, *exclude));
}

DiskIoCollector::DiskIoCollector(std::string procfs_root, std::chrono::milliseconds sample_interval)
    : procfs_root_(std::move(procfs_root)) {
  Configure(DiskIoConfig{});
  if (sample_interval > std::chrono::milliseconds(0)) {
    sampler_ = std::thread([this, sample_interval] {
      NameThisThread("vms-disk-io");
      RunSampler(sample_interval);
    });
  }
}

DiskIoCollector::~DiskIoCollector() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (sampler_.joinable()) sampler_.join();
}

void DiskIoCollector::Configure(const DiskIoConfig& config) {
  auto f = std::make_shared<Filter>();
  if (!config.devices_include.empty()) f->include.emplace(config.devices_include);
  if (!config.devices_exclude.empty()) f->exclude.emplace(config.devices_exclude);
  std::lock_guard lock(mu_);
  filter_ = std::move(f);
}

std::shared_ptr<const DiskIoCollector::Filter> DiskIoCollector::filter() const {
  std::lock_guard lock(mu_);
  return filter_;
}

Result<std::vector<DiskStats>> DiskIoCollector::ReadDevices(const Filter& filter) const {
  auto text = ReadFile(JoinRoot(procfs_root_, "/diskstats"));
  if (!text) return text.status();
  auto parsed = ParseDiskStats(*text);
  if (!parsed) return parsed.status();
  std::erase_if(*parsed, [&](const DiskStats& d) { return !filter.Keeps(d.device); });
  return parsed;
}

Status DiskIoCollector::Sample() {
  auto devices = ReadDevices(*filter());
  if (!devices) return devices.status();
  std::lock_guard lock(mu_);
  tracker_.Step(*devices);
  return Status::Ok();
}

void DiskIoCollector::RunSampler(std::chrono::milliseconds interval) {
  auto next = std::chrono::steady_clock::now();
  bool failing = false;
  for (;;) {
    const Status s = Sample();
    // Logged on change only: this runs every second.
    if (!s.ok() && !failing) spdlog::warn("disk latency sampling failed: {}", s.message());
    if (s.ok() && failing) spdlog::info("disk latency sampling works again");
    failing = !s.ok();
    next += interval;
    std::unique_lock lock(mu_);
    if (wake_.wait_until(lock, next, [this] { return stopping_; })) return;
  }
}

Status DiskIoCollector::Collect(const ScrapeContext& /*ctx*/, MetricWriter& out) {
  const auto f = filter();
  auto devices = ReadDevices(*f);
  if (!devices) return devices.status();

  auto reads = out.Counter("disk_io_reads_completed_total", "Reads completed (/proc/diskstats).");
  auto writes =
      out.Counter("disk_io_writes_completed_total", "Writes completed (/proc/diskstats).");
  auto read_bytes = out.Counter("disk_io_read_bytes_total", "Bytes read (512-byte sectors x 512).");
  auto write_bytes =
      out.Counter("disk_io_write_bytes_total", "Bytes written (512-byte sectors x 512).");
  auto read_time = out.Counter("disk_io_read_time_seconds_total",
                               "Seconds spent by all reads, summed over requests.");
  auto write_time = out.Counter("disk_io_write_time_seconds_total",
                                "Seconds spent by all writes, summed over requests.");
  auto busy = out.Counter("disk_io_time_seconds_total",
                          "Seconds the device had requests in flight; its rate is utilisation.");
  auto in_progress = out.Gauge("disk_io_in_progress", "Requests in flight now.");
  for (const DiskStats& d : *devices) {
    const Label labels[] = {{"device", d.device}};
    reads.Add(labels, static_cast<double>(d.reads_completed));
    writes.Add(labels, static_cast<double>(d.writes_completed));
    read_bytes.Add(labels, static_cast<double>(d.sectors_read) * kSectorBytes);
    write_bytes.Add(labels, static_cast<double>(d.sectors_written) * kSectorBytes);
    read_time.Add(labels, static_cast<double>(d.read_time_ms) / 1000.0);
    write_time.Add(labels, static_cast<double>(d.write_time_ms) / 1000.0);
    busy.Add(labels, static_cast<double>(d.io_time_ms) / 1000.0);
    in_progress.Add(labels, static_cast<double>(d.in_progress));
  }

  std::map<std::string, DiskLatencyTracker::Histograms> histograms;
  {
    std::lock_guard lock(mu_);
    histograms = tracker_.histograms();
  }
  auto latency = out.Histogram(
      "disk_io_latency_seconds",
      "Mean latency of the requests completed in each second, sampled once a second and weighted "
      "by the number of requests, so buckets count requests and the sum is their total latency.");
  for (const auto& [device, h] : histograms) {
    if (!f->Keeps(device)) continue;
    for (const auto& [operation, hist] :
         {std::pair<std::string_view, const WeightedHistogram*>{"read", &h.read},
          {"write", &h.write}}) {
      latency.AddHistogram({{"device", device}, {"operation", operation}},
                           {kDiskLatencyBounds, hist->bucket_counts, hist->count, hist->sum});
    }
  }
  return Status::Ok();
}

}  // namespace vms
