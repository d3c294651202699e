#include "support/metrics_text.h"

#include <sstream>
#include <thread>

#include "support/http_client.h"

namespace vms::test {

std::optional<double> FindSample(const std::string& exposition, const std::string& series) {
  std::istringstream in(exposition);
  std::string line;
  const std::string prefix = series + " ";
  while (std::getline(in, line)) {
    if (line.compare(0, prefix.size(), prefix) == 0) {
      const std::string value = line.substr(prefix.size());
      if (value == "+Inf") return std::numeric_limits<double>::infinity();
      if (value == "NaN") return std::numeric_limits<double>::quiet_NaN();
      return std::stod(value);
    }
  }
  return std::nullopt;
}

std::optional<double> WaitForSample(unsigned short port, const std::string& series,
                                    const std::function<bool(std::optional<double>)>& accept,
                                    std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  std::optional<double> last;
  for (;;) {
    last = FindSample(HttpGet(port, "/metrics").body, series);
    if (accept(last) || std::chrono::steady_clock::now() >= end) return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace vms::test
