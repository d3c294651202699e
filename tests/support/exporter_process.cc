#include "support/exporter_process.h"

#include <fstream>
#include <sstream>

namespace vms::test {

ExporterProcess::ExporterProcess(const std::string& binary, std::vector<std::string> extra_args)
    : port_(FreePort()), log_path_(MakeTempDir() + "/exporter.log") {
  std::vector<std::string> argv = {BinaryPath(binary),
                                   "--web.listen-address=127.0.0.1:" + std::to_string(port_)};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  process_ = std::make_unique<Subprocess>(argv, log_path_);
  ready_ = WaitForPort(port_, std::chrono::seconds(10));
}

std::string ExporterProcess::Log() const {
  std::ifstream in(log_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace vms::test
