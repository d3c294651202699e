#include "vms/media/segment_analysis_worker.h"

#include <spdlog/spdlog.h>

#include <vector>

#include "vms/base/thread_name.h"

namespace vms::media {

SegmentAnalysisWorker::SegmentAnalysisWorker(std::chrono::milliseconds interval)
    : interval_(interval) {}

SegmentAnalysisWorker::~SegmentAnalysisWorker() { Stop(); }

std::shared_ptr<const SegmentStatsSnapshot> SegmentAnalysisWorker::Watch(
    const std::string& camera_id, SegmentAnalyzerOptions options) {
  std::lock_guard lock(mu_);
  auto& camera = cameras_[camera_id];
  // Read-only here: the worker thread never changes an analyzer's options.
  if (!camera || !(camera->analyzer.options() == options)) {
    camera = std::make_shared<Camera>(camera_id, std::move(options));
    wake_.notify_all();
  }
  return camera->snapshot;
}

void SegmentAnalysisWorker::Unwatch(const std::string& camera_id) {
  std::lock_guard lock(mu_);
  cameras_.erase(camera_id);
}

std::shared_ptr<const SegmentStatsSnapshot> SegmentAnalysisWorker::Find(
    const std::string& camera_id) const {
  std::lock_guard lock(mu_);
  auto it = cameras_.find(camera_id);
  return it == cameras_.end() ? nullptr : it->second->snapshot;
}

void SegmentAnalysisWorker::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    NameThisThread("vms-segments");
    Run();
  });
}

void SegmentAnalysisWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SegmentAnalysisWorker::LogErrorChange(Camera& camera, const std::string& error) {
  if (error == camera.logged_error) return;
  if (error.empty()) {
    spdlog::info("camera {}: segment analysis recovered", camera.id);
  } else {
    spdlog::warn("camera {}: segment analysis: {}", camera.id, error);
  }
  camera.logged_error = error;
}

void SegmentAnalysisWorker::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    const Clock::time_point now = Clock::now();
    std::vector<std::shared_ptr<Camera>> due;
    Clock::time_point next_wake = now + interval_;
    for (auto& [id, camera] : cameras_) {
      if (camera->next_due <= now) {
        due.push_back(camera);
      } else {
        next_wake = std::min(next_wake, camera->next_due);
      }
    }
    if (due.empty()) {
      wake_.wait_until(lock, next_wake);
      continue;
    }
    for (const auto& camera : due) {
      camera->next_due = now + interval_;
      // The pass reads files: Watch(), Find() and scrapes must not wait on it.
      // A camera unwatched meanwhile lives on through `due` until its pass ends.
      lock.unlock();
      SegmentStats stats = camera->analyzer.Pass();
      LogErrorChange(*camera, stats.last_error);
      camera->snapshot->Publish(std::move(stats));
      lock.lock();
      if (stopping_) return;
    }
  }
}

}  // namespace vms::media
