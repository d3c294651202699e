#pragma once

#include <memory>
#include <string>

#include "support/subprocess.h"

namespace vms::test {

// A real nginx (Debian's /usr/sbin/nginx) run as a plain process, not a
// service: one worker, a temp prefix (logs/ and its temp dirs inside), one
// server on 127.0.0.1 and a free port. `http_directives` go in http {} (log
// formats, access_log), `server_directives` in the server {} (locations).
// Stopped and reaped on destruction.
class NginxProcess {
 public:
  NginxProcess(const std::string& http_directives, const std::string& server_directives);
  ~NginxProcess();
  NginxProcess(const NginxProcess&) = delete;
  NginxProcess& operator=(const NginxProcess&) = delete;

  bool ready() const { return ready_; }
  unsigned short port() const { return port_; }
  // The temp prefix; logs go to prefix() + "/logs/".
  const std::string& prefix() const { return prefix_; }
  std::string ErrorLog() const;
  // kill -USR1 the master: reopen the log files, as logrotate's postrotate does.
  void ReopenLogs();

 private:
  std::string prefix_;
  unsigned short port_;
  std::unique_ptr<Subprocess> process_;
  bool ready_ = false;
};

}  // namespace vms::test
