#pragma once

#include <memory>
#include <string>
#include <vector>

#include "support/subprocess.h"

namespace vms::test {

// The gst-rtsp-server camera simulator (tests/camera_sim/rtsp_camera_sim.py)
// run by Debian's /usr/bin/python3, on a given or free loopback port, with a
// request log. Killed and reaped on destruction.
class CameraSim {
 public:
  // `extra_args` are the simulator's own (--mount ..., --mounts N, --fps ...).
  explicit CameraSim(std::vector<std::string> extra_args, unsigned short port = 0);
  bool ready() const { return ready_; }
  unsigned short port() const { return port_; }
  std::string url(const std::string& path) const;
  std::string request_log() const { return dir_ + "/requests.log"; }
  std::string output() const;
  // Requests the simulator logged for `path` ("METHOD /path" lines).
  int RequestsFor(const std::string& path) const;
  Subprocess& process() { return *process_; }

 private:
  std::string dir_;
  unsigned short port_;
  std::unique_ptr<Subprocess> process_;
  bool ready_ = false;
};

// An ffmpeg recorder for one camera, restarted whenever it exits (as a
// systemd unit with Restart=always would: ffmpeg exits 0 when a camera
// drops). Segments go to `dir`/%Y%m%d-%H%M%S.ts. Every process is reaped.
class RecorderLoop {
 public:
  RecorderLoop(std::string url, std::string dir, int segment_seconds = 2);
  ~RecorderLoop();
  // Kills the current ffmpeg (SIGKILL); the loop starts a new one.
  void KillCurrent();
  int starts() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace vms::test
