#pragma once

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "vms/httpclient/http_exchange.h"

namespace vms::test {

inline HttpClientRequest Request(const std::string& url,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  HttpClientRequest r;
  r.url = url;
  r.timeout = timeout;
  return r;
}

// Runs one exchange on an io_context of its own until it called back, or
// a bound well past its timeout, which only a hung exchange reaches.
inline HttpClientResult Fetch(HttpClientRequest request) {
  boost::asio::io_context io;
  HttpExchange exchange(io);
  std::optional<HttpClientResult> result;
  const auto bound = request.timeout + std::chrono::seconds(10);
  exchange.Start(std::move(request), [&](HttpClientResult r) { result = std::move(r); });
  io.run_for(bound);
  EXPECT_TRUE(result) << "the exchange never called back";
  return result ? std::move(*result) : HttpClientResult{};
}

inline HttpClientResult Fetch(const std::string& url) { return Fetch(Request(url)); }

// The phases of a one-connection exchange follow each other without
// overlap (after a redirect, durations are sums over the connections).
inline void ExpectPhasesInOrder(const HttpClientResult& r) {
  double end = 0;
  for (std::size_t i = 0; i < kHttpPhaseCount; ++i) {
    const HttpPhaseTiming& t = r.phases[i];
    if (!t.reached) continue;
    EXPECT_GE(t.started.count(), end) << HttpPhaseName(static_cast<HttpPhase>(i));
    EXPECT_GE(t.duration.count(), 0) << HttpPhaseName(static_cast<HttpPhase>(i));
    end = t.started.count() + t.duration.count();
  }
  EXPECT_LE(end, r.total.count());
}

}  // namespace vms::test
