#pragma once

#include <map>
#include <memory>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "recording_node/camera_config.h"
#include "vms/host/process_group_collector.h"
#include "vms/media/segment_analysis_worker.h"
#include "vms/probe/probe_scheduler.h"
#include "vms/rtsp/rtsp_probe.h"

namespace vms::recording_node {

// One camera as the collectors see it. Immutable once published; a config
// change that alters a camera publishes a new one.
struct Camera {
  CameraConfig config;
  std::string redacted_url;  // safe for the landing page
  std::shared_ptr<RtspProbe> probe;
  std::shared_ptr<const media::SegmentStatsSnapshot> segments;  // null without recording_dir
};
using CameraList = std::vector<std::shared_ptr<const Camera>>;

struct FleetSettings {
  std::vector<CameraConfig> cameras;  // empty: discover from running recorders
  RecordingsConfig recordings;
  int probe_concurrency = 8;
};

// The node's cameras and everything that watches them: an RTSP probe each on
// the shared ProbeScheduler, a segment analysis on the worker thread, a
// recorder process group. Apply() runs on the io_context's thread;
// Cameras() may be read from any thread.
//
// Zero-config: with no cameras configured, running ffmpeg recorders are
// found by the recorder scan (every recordings.scan_interval, on its own
// thread) and each one's camera is added on the io_context's thread. A
// discovered camera stays when its recorder dies (ffmpeg_process_up 0 is
// the point) until the exporter restarts or a config lists cameras.
class CameraFleet {
 public:
  CameraFleet(boost::asio::io_context& io, std::string procfs_root);
  ~CameraFleet();

  void Apply(const FleetSettings& settings);
  std::shared_ptr<const CameraList> Cameras() const;
  ProcessGroupCollector& recorders() { return recorders_; }
  const ProcessGroupCollector& recorders() const { return recorders_; }

 private:
  struct Entry {
    std::shared_ptr<const Camera> camera;
    ProbeScheduler::Id probe_id = 0;
  };
  void SetCameras(const std::vector<CameraConfig>& configs);
  // On the io_context's thread: adds cameras the scan found.
  void AddDiscovered(std::vector<CameraConfig> found);
  void Publish();
  void ScanRecorders();  // the recorder thread's loop
  void WakeRecorderScan();

  boost::asio::io_context& io_;
  const std::string procfs_root_;
  std::unique_ptr<ProbeScheduler> scheduler_;
  int probe_concurrency_ = 0;
  // Created at the first Apply with recordings.scan_interval.
  std::unique_ptr<media::SegmentAnalysisWorker> worker_;
  ProcessGroupCollector recorders_;
  std::map<std::string, Entry> entries_;  // by camera_id; io thread only
  std::atomic<bool> discovering_{false};

  mutable std::mutex mu_;
  std::shared_ptr<const CameraList> published_;  // guarded by mu_

  // Recorder processes are matched on a thread of their own every
  // recordings.scan_interval, off the scrape path and the event loop.
  std::mutex scan_mu_;
  std::condition_variable scan_cv_;
  bool scan_now_ = false;    // guarded by scan_mu_
  bool scan_stop_ = false;   // guarded by scan_mu_
  std::chrono::milliseconds scan_interval_{5'000};  // guarded by scan_mu_
  // Expires with the fleet: discoveries posted by the scanner after it is
  // gone do nothing.
  std::shared_ptr<char> alive_ = std::make_shared<char>();
  // Started at the end of the constructor, joined first by the destructor.
  std::thread scanner_;
};

}  // namespace vms::recording_node
