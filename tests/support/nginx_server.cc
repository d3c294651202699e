#include "support/nginx_server.h"

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace vms::test {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

NginxServer::NginxServer(const std::string& dir, const std::string& http_block,
                         const std::vector<unsigned short>& ports)
    : dir_(dir) {
  std::filesystem::create_directories(dir_ + "/nginx-tmp");
  std::ofstream conf(dir_ + "/nginx.conf");
  // As root, nginx would switch to "nobody", which cannot read a test's
  // 0700 temp directory.
  if (::geteuid() == 0) conf << "user root;\n";
  conf << "daemon off;\nmaster_process off;\nworker_processes 1;\n"
       << "pid " << dir_ << "/nginx.pid;\n"
       << "error_log " << dir_ << "/nginx-error.log info;\n"
       << "events { worker_connections 256; }\n"
       << "http {\n"
       << "  access_log " << dir_ << "/nginx-access.log;\n";
  for (const char* temp : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
    conf << "  " << temp << "_temp_path " << dir_ << "/nginx-tmp/" << temp << ";\n";
  }
  conf << http_block << "\n}\n";
  conf.close();
  process_ = std::make_unique<Subprocess>(
      std::vector<std::string>{"/usr/sbin/nginx", "-p", dir_, "-e", dir_ + "/nginx-error.log", "-c",
                               dir_ + "/nginx.conf"},
      dir_ + "/nginx-output.log");
  ready_ = true;
  for (const unsigned short port : ports) {
    ready_ = ready_ && WaitForPort(port, std::chrono::seconds(10));
  }
}

NginxServer::~NginxServer() {
  // TERM is nginx's fast shutdown; the Subprocess kills what is left.
  process_->Signal(SIGTERM);
  process_->Wait(std::chrono::seconds(5));
}

std::string NginxServer::Log() const {
  return ReadAll(dir_ + "/nginx-output.log") + ReadAll(dir_ + "/nginx-error.log");
}

}  // namespace vms::test
