#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "vms/base/snapshot.h"
#include "vms/media/segment_analyzer.h"
#include "vms/media/segment_stats.h"

namespace vms::media {

using SegmentStatsSnapshot = Snapshot<SegmentStats>;

// Runs every camera's SegmentAnalyzer on one thread of its own, each camera
// every `interval`, so libavformat never runs on the Asio event loop or the
// scrape path. Results are published after each camera's pass as an
// immutable SegmentStats that collectors Read() at scrape time. A camera's
// analysis error is logged when it appears, changes or clears, not at every
// pass.
class SegmentAnalysisWorker {
 public:
  explicit SegmentAnalysisWorker(std::chrono::milliseconds interval = std::chrono::seconds(5));
  ~SegmentAnalysisWorker();  // Stop()
  SegmentAnalysisWorker(const SegmentAnalysisWorker&) = delete;
  SegmentAnalysisWorker& operator=(const SegmentAnalysisWorker&) = delete;

  // Watches a camera and returns the snapshot its collector reads (empty
  // until the first pass). Watching an id again with the same options keeps
  // its counters (config reload); with other options it starts over.
  std::shared_ptr<const SegmentStatsSnapshot> Watch(const std::string& camera_id,
                                                    SegmentAnalyzerOptions options);
  void Unwatch(const std::string& camera_id);
  // nullptr for a camera not watched.
  std::shared_ptr<const SegmentStatsSnapshot> Find(const std::string& camera_id) const;

  std::chrono::milliseconds interval() const { return interval_; }

  void Start();  // starts the thread; idempotent
  void Stop();   // finishes the current camera's pass and joins; idempotent

 private:
  using Clock = std::chrono::steady_clock;
  struct Camera {
    Camera(std::string camera_id, SegmentAnalyzerOptions options)
        : id(std::move(camera_id)), analyzer(std::move(options)) {}
    const std::string id;
    SegmentAnalyzer analyzer;  // touched by the worker thread only
    std::string logged_error;  // worker thread only: the last error logged
    std::shared_ptr<SegmentStatsSnapshot> snapshot = std::make_shared<SegmentStatsSnapshot>();
    Clock::time_point next_due{};  // guarded by mu_
  };

  void Run();
  static void LogErrorChange(Camera& camera, const std::string& error);

  const std::chrono::milliseconds interval_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::map<std::string, std::shared_ptr<Camera>> cameras_;  // guarded by mu_
  bool stopping_ = false;                                   // guarded by mu_
  std::thread thread_;
};

}  // namespace vms::media
