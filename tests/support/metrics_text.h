#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace vms::test {

// The value of one series in a text exposition, given exactly as it prints
// (`camera_fps{camera_id="cam1"}`); nullopt when absent.
std::optional<double> FindSample(const std::string& exposition, const std::string& series);

// Scrapes 127.0.0.1:port/metrics until `accept(value)` holds for `series`
// (nullopt = absent) or `timeout` passes; returns the last value seen.
std::optional<double> WaitForSample(unsigned short port, const std::string& series,
                                    const std::function<bool(std::optional<double>)>& accept,
                                    std::chrono::milliseconds timeout);

// Acceptors for WaitForSample: present and equal to, or at least, `want`.
inline std::function<bool(std::optional<double>)> SampleEquals(double want) {
  return [want](std::optional<double> v) { return v && *v == want; };
}
inline std::function<bool(std::optional<double>)> SampleAtLeast(double want) {
  return [want](std::optional<double> v) { return v && *v >= want; };
}

}  // namespace vms::test
