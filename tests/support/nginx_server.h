#pragma once

#include <memory>
#include <string>
#include <vector>

#include "support/subprocess.h"

namespace vms::test {

// Debian's nginx (/usr/sbin/nginx) in the foreground as a single process
// (master_process off: killing it leaves no worker behind for PID 1, which
// does not reap), with `http_block` as the body of its http { } block and
// `dir` holding its pid, logs and temp files. Ready once every one of
// `ports` accepts on 127.0.0.1. Stopped and reaped on destruction.
class NginxServer {
 public:
  NginxServer(const std::string& dir, const std::string& http_block,
              const std::vector<unsigned short>& ports);
  ~NginxServer();
  NginxServer(const NginxServer&) = delete;
  NginxServer& operator=(const NginxServer&) = delete;

  bool ready() const { return ready_; }
  // The error log and nginx's own output, to explain a failure.
  std::string Log() const;

 private:
  std::string dir_;
  std::unique_ptr<Subprocess> process_;
  bool ready_ = false;
};

}  // namespace vms::test
