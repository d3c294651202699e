#pragma once

#include <memory>
#include <string>
#include <vector>

#include "support/subprocess.h"

namespace vms::test {

// A real exporter binary on a free loopback port, stopped (and reaped) on
// destruction. Its log goes to log_path().
class ExporterProcess {
 public:
  ExporterProcess(const std::string& binary, std::vector<std::string> extra_args = {});
  unsigned short port() const { return port_; }
  bool ready() const { return ready_; }
  Subprocess& process() { return *process_; }
  const std::string& log_path() const { return log_path_; }
  std::string Log() const;

 private:
  unsigned short port_;
  std::string log_path_;
  std::unique_ptr<Subprocess> process_;
  bool ready_ = false;
};

}  // namespace vms::test
