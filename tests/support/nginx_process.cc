#include "support/nginx_process.h"

#include <signal.h>

#include <fstream>
#include <sstream>

namespace vms::test {

NginxProcess::NginxProcess(const std::string& http_directives, const std::string& server_directives)
    : prefix_(MakeTempDir()), port_(FreePort()) {
  // Workers run as nobody when the master is root; on USR1 they reopen the
  // logs themselves, so they must reach them (mkdtemp makes the dir 0700).
  RunCommand("chmod 755 " + prefix_ + " && mkdir -p " + prefix_ + "/logs " + prefix_ + "/tmp");
  const std::string t = prefix_ + "/tmp";
  std::ofstream(prefix_ + "/nginx.conf")
      << "daemon off;\nworker_processes 1;\npid " << prefix_ << "/nginx.pid;\n"
      << "error_log " << prefix_ << "/logs/error.log info;\n"
      << "events { worker_connections 256; }\n"
      << "http {\n  client_body_temp_path " << t << ";\n  proxy_temp_path " << t << ";\n"
      << "  fastcgi_temp_path " << t << ";\n  uwsgi_temp_path " << t << ";\n"
      << "  scgi_temp_path " << t << ";\n"
      << http_directives << "\n  server {\n    listen 127.0.0.1:" << port_ << ";\n"
      << server_directives << "\n  }\n}\n";
  process_ = std::make_unique<Subprocess>(
      std::vector<std::string>{"/usr/sbin/nginx", "-p", prefix_, "-c", prefix_ + "/nginx.conf",
                               "-e", prefix_ + "/logs/error.log"},
      prefix_ + "/nginx.out");
  ready_ = WaitForPort(port_, std::chrono::seconds(10));
}

NginxProcess::~NginxProcess() {
  // SIGQUIT: a graceful stop, so the worker exits with the master.
  process_->Signal(SIGQUIT);
  if (process_->Wait(std::chrono::seconds(10)) == -1) {
    ::kill(-process_->pid(), SIGKILL);  // the worker too: it is in the master's group
    process_->Wait(std::chrono::seconds(5));
  }
  RunCommand("rm -rf " + prefix_);
}

std::string NginxProcess::ErrorLog() const {
  std::ifstream in(prefix_ + "/logs/error.log");
  std::stringstream s;
  s << in.rdbuf() << "\n";
  std::ifstream out(prefix_ + "/nginx.out");
  s << out.rdbuf();
  return s.str();
}

void NginxProcess::ReopenLogs() { process_->Signal(SIGUSR1); }

}  // namespace vms::test
