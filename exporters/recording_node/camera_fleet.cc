#include "recording_node/camera_fleet.h"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "vms/base/text.h"
#include "vms/procfs/process_table.h"
#include "vms/rtsp/rtsp_url.h"
#include "vms/base/thread_name.h"

namespace vms::recording_node {
namespace {

// The cameras that running ffmpeg recorders record, from one table read.
std::vector<CameraConfig> FindRecorderCameras(const ProcessTable& table) {
  std::vector<CameraConfig> found;
  for (const ProcessRecord& p : table.processes()) {
    if (p.comm != "ffmpeg" || !p.running()) continue;
    const auto words = SplitWhitespace(p.cmdline);
    auto cam = DiscoverFromCommandLine(std::vector<std::string>(words.begin(), words.end()));
    if (!cam) continue;
    const UrlCredentials split = SplitUrlCredentials(cam->url);
    CameraConfig c;
    c.id = cam->id;
    c.url = split.url;
    c.username = split.user;
    c.password = split.password;
    c.recording_dir = cam->recording_dir;
    c.discovered = true;
    found.push_back(std::move(c));
  }
  return found;
}

}  // namespace

CameraFleet::CameraFleet(boost::asio::io_context& io, std::string procfs_root)
    : io_(io), procfs_root_(procfs_root),
      recorders_(std::move(procfs_root),
                 {.collector_name = "recorders",
                  .names = {"ffmpeg_process", "camera_id"},
                  .refresh_in_background = true,
                  .status_title = "Recorder processes"}) {
  // Last, once every member the scan touches exists.
  scanner_ = std::thread([this] { ScanRecorders(); });
}

void CameraFleet::ScanRecorders() {
  NameThisThread("vms-recorders");
  std::unique_lock lock(scan_mu_);
  while (!scan_stop_) {
    scan_now_ = false;
    lock.unlock();
    // One read of /proc serves discovery and the recorder groups, both off
    // the event loop: /proc/PID/cmdline can block while a process's memory
    // map is locked.
    const bool discovering = discovering_;
    ProcessFields fields = recorders_.needs();
    fields.cmdline = fields.cmdline || discovering;
    auto table = ProcessTable::Read(procfs_root_, fields);
    if (discovering && table) {
      auto found = FindRecorderCameras(*table);
      if (!found.empty()) {
        boost::asio::post(io_, [this, alive = std::weak_ptr<char>(alive_),
                                found = std::move(found)]() mutable {
          if (!alive.expired()) AddDiscovered(std::move(found));
        });
      }
    }
    if (Status s = recorders_.Refresh(table); !s.ok()) {
      spdlog::debug("recorder scan: {}", s.message());
    }
    lock.lock();
    scan_cv_.wait_for(lock, scan_interval_, [this] { return scan_stop_ || scan_now_; });
  }
}

void CameraFleet::WakeRecorderScan() {
  {
    std::lock_guard lock(scan_mu_);
    scan_now_ = true;
  }
  scan_cv_.notify_one();
}

CameraFleet::~CameraFleet() {
  {
    std::lock_guard lock(scan_mu_);
    scan_stop_ = true;
  }
  scan_cv_.notify_one();
  scanner_.join();
  if (scheduler_) scheduler_->Stop();
  if (worker_) worker_->Stop();
}

void CameraFleet::Apply(const FleetSettings& settings) {
  if (!worker_) {
    worker_ = std::make_unique<media::SegmentAnalysisWorker>(settings.recordings.scan_interval);
    worker_->Start();
    std::lock_guard lock(scan_mu_);
    scan_interval_ = settings.recordings.scan_interval;
  } else if (settings.recordings.scan_interval != worker_->interval()) {
    spdlog::warn("recordings.scan_interval changes take effect after a restart");
  }
  if (!scheduler_ || settings.probe_concurrency != probe_concurrency_) {
    // A new limit needs a new scheduler; every probe is re-added below.
    if (scheduler_) scheduler_->Stop();
    scheduler_ = std::make_unique<ProbeScheduler>(io_, settings.probe_concurrency);
    probe_concurrency_ = settings.probe_concurrency;
    for (auto& [id, entry] : entries_) {
      const auto& c = entry.camera->config;
      entry.probe_id = scheduler_->Add(entry.camera->probe, {c.probe_interval, c.probe_timeout});
    }
  }
  discovering_ = settings.cameras.empty();
  if (discovering_) {
    // Keep cameras found earlier; drop configured ones that the config no
    // longer lists.
    std::vector<CameraConfig> kept;
    for (const auto& [id, entry] : entries_) {
      if (entry.camera->config.discovered) kept.push_back(entry.camera->config);
    }
    SetCameras(kept);
  } else {
    SetCameras(settings.cameras);
  }
}

void CameraFleet::SetCameras(const std::vector<CameraConfig>& configs) {
  std::map<std::string, Entry> next;
  for (const CameraConfig& c : configs) {
    auto old = entries_.find(c.id);
    if (old != entries_.end() && old->second.camera->config == c) {
      next.emplace(c.id, std::move(old->second));  // unchanged: keeps its counters
      entries_.erase(old);
      continue;
    }
    auto camera = std::make_shared<Camera>();
    camera->config = c;
    camera->redacted_url = RedactUrl(c.url);
    if (old != entries_.end() && old->second.camera->config.url == c.url) {
      // Same camera, other settings: the probe (its counters and any
      // lockout) carries over; new credentials lift a lockout.
      camera->probe = old->second.camera->probe;
      camera->probe->SetCredentials(c.username, c.password);
      scheduler_->Remove(old->second.probe_id);
      entries_.erase(old);
    } else {
      camera->probe = std::make_shared<RtspProbe>(
          io_, RtspProbeConfig{.camera_id = c.id, .url = c.url, .user = c.username,
                               .password = c.password});
    }
    if (!c.recording_dir.empty()) {
      media::SegmentAnalyzerOptions options;
      options.directory = c.recording_dir;
      camera->segments = worker_->Watch(c.id, options);
    } else {
      worker_->Unwatch(c.id);
    }
    const auto probe_id = scheduler_->Add(camera->probe, {c.probe_interval, c.probe_timeout});
    next.emplace(c.id, Entry{std::move(camera), probe_id});
    spdlog::info("watching camera {} at {}", c.id, RedactUrl(c.url));
  }
  for (auto& [id, entry] : entries_) {  // what the new list no longer has
    scheduler_->Remove(entry.probe_id);
    worker_->Unwatch(id);
    spdlog::info("no longer watching camera {}", id);
  }
  entries_ = std::move(next);

  std::vector<ProcessGroupConfig> groups;
  for (const auto& [id, entry] : entries_) groups.push_back(RecorderRule(entry.camera->config));
  recorders_.Configure(groups);
  WakeRecorderScan();
  Publish();
}

void CameraFleet::AddDiscovered(std::vector<CameraConfig> found) {
  if (!discovering_) return;  // a config with cameras arrived meanwhile
  std::vector<CameraConfig> configs;
  for (const auto& [id, entry] : entries_) configs.push_back(entry.camera->config);
  bool added = false;
  for (CameraConfig& c : found) {
    const bool known = std::any_of(configs.begin(), configs.end(),
                                   [&](const CameraConfig& k) { return k.id == c.id; });
    if (known) continue;
    configs.push_back(std::move(c));
    added = true;
  }
  if (added) SetCameras(configs);
}

void CameraFleet::Publish() {
  auto list = std::make_shared<CameraList>();
  for (const auto& [id, entry] : entries_) list->push_back(entry.camera);
  std::lock_guard lock(mu_);
  published_ = std::move(list);
}

std::shared_ptr<const CameraList> CameraFleet::Cameras() const {
  std::lock_guard lock(mu_);
  return published_ ? published_ : std::make_shared<const CameraList>();
}

}  // namespace vms::recording_node
