#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace vms::test {

// A child process the test owns: killed and reaped (waitpid) on destruction,
// since PID 1 here does not reap orphans. stdout/stderr go to `log_path`
// when given.
class Subprocess {
 public:
  Subprocess(std::vector<std::string> argv, std::string log_path = "");
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }
  void Signal(int sig);
  // Waits for exit up to `timeout`; returns the wait status or -1 on timeout.
  int Wait(std::chrono::milliseconds timeout);
  bool Running();

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
};

// Runs a command to completion, returning its exit code and output.
struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};
CommandResult RunCommand(const std::string& shell_command);

// A free TCP port on 127.0.0.1 (bound and released).
unsigned short FreePort();

// Polls until 127.0.0.1:port accepts a connection.
bool WaitForPort(unsigned short port, std::chrono::milliseconds timeout);

std::string BinaryPath(const std::string& name);  // a built exporter
std::string SourcePath(const std::string& relative);
std::string MakeTempDir();

}  // namespace vms::test
