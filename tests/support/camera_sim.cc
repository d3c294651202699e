#include "support/camera_sim.h"

#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

namespace vms::test {

CameraSim::CameraSim(std::vector<std::string> extra_args, unsigned short port)
    : dir_(MakeTempDir()), port_(port == 0 ? FreePort() : port) {
  std::vector<std::string> argv = {"/usr/bin/python3",
                                   SourcePath("tests/camera_sim/rtsp_camera_sim.py"),
                                   "--port",
                                   std::to_string(port_),
                                   "--size",
                                   "640x360",
                                   "--fps",
                                   "10",
                                   "--bitrate",
                                   "300",
                                   "--request-log",
                                   request_log()};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  process_ = std::make_unique<Subprocess>(argv, dir_ + "/sim.out");
  ready_ = WaitForPort(port_, std::chrono::seconds(20));
}

std::string CameraSim::url(const std::string& path) const {
  return "rtsp://127.0.0.1:" + std::to_string(port_) + path;
}

std::string CameraSim::output() const {
  std::ifstream in(dir_ + "/sim.out");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

int CameraSim::RequestsFor(const std::string& path) const {
  std::ifstream in(request_log());
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.ends_with(" " + path)) ++n;
  }
  return n;
}

struct RecorderLoop::State {
  std::atomic<bool> stop{false};
  std::atomic<int> starts{0};
  std::mutex mu;
  pid_t current = -1;  // guarded by mu
  std::thread thread;
};

RecorderLoop::RecorderLoop(std::string url, std::string dir, int segment_seconds)
    : state_(std::make_shared<State>()) {
  std::filesystem::create_directories(dir);
  state_->thread = std::thread([s = state_, url, dir, segment_seconds] {
    while (!s->stop) {
      Subprocess ffmpeg({"/usr/bin/ffmpeg", "-nostdin", "-loglevel", "error", "-rtsp_transport",
                         "tcp", "-timeout", "3000000", "-i", url, "-c", "copy", "-f", "segment",
                         "-segment_time", std::to_string(segment_seconds), "-reset_timestamps",
                         "1", "-strftime", "1", dir + "/%Y%m%d-%H%M%S.ts"},
                        dir + "/../ffmpeg-" + std::filesystem::path(dir).filename().string() +
                            ".log");
      {
        std::lock_guard lock(s->mu);
        s->current = ffmpeg.pid();
      }
      ++s->starts;
      while (!s->stop && ffmpeg.Wait(std::chrono::milliseconds(100)) == -1) {
      }
      {
        std::lock_guard lock(s->mu);
        s->current = -1;
      }
      // ~Subprocess kills and reaps if still running (on stop).
      if (!s->stop) std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
  });
}

RecorderLoop::~RecorderLoop() {
  state_->stop = true;
  state_->thread.join();
}

void RecorderLoop::KillCurrent() {
  std::lock_guard lock(state_->mu);
  if (state_->current > 0) ::kill(state_->current, SIGKILL);
}

int RecorderLoop::starts() const { return state_->starts.load(); }

}  // namespace vms::test
