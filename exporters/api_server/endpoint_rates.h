#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api_server/api_requests.h"

namespace vms::api_server {

// Per-second rates of each endpoint's requests and 5xx for the landing
// page, from the counters remembered at earlier looks (scrapes and page
// views): over the span back to the oldest remembered look within
// kWindow, once that span is at least kMinSpan. Not thread-safe.
class EndpointRates {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kWindow{300};
  static constexpr std::chrono::seconds kMinSpan{10};
  static constexpr std::chrono::seconds kEvery{5};  // at most one remembered look per

  struct Rate {
    double requests = 0;
    double errors = 0;
    double span_seconds = 0;
  };

  // Remembers `now`'s counters (at most every kEvery) and forgets looks
  // older than kWindow.
  void Remember(Clock::time_point now, const std::vector<EndpointSummary>& totals);
  // The rate of `endpoint` as of `now`'s counters; nullopt until the span
  // is long enough. An endpoint new since the oldest look counts from 0.
  std::optional<Rate> Of(Clock::time_point now, const EndpointSummary& current) const;

 private:
  struct Look {
    Clock::time_point at;
    std::map<std::string, std::pair<std::uint64_t, std::uint64_t>, std::less<>> totals;
  };
  std::deque<Look> looks_;
};

}  // namespace vms::api_server
