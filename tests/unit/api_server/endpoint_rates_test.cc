#include "api_server/endpoint_rates.h"

#include <gtest/gtest.h>

namespace vms::api_server {
namespace {

using namespace std::chrono_literals;
using Clock = EndpointRates::Clock;

EndpointSummary At(std::uint64_t requests, std::uint64_t errors) {
  return EndpointSummary{.endpoint = "/api/cameras/:id", .requests = requests, .errors = errors};
}

TEST(EndpointRatesTest, RateOverTheOldestLookInTheWindow) {
  EndpointRates rates;
  const Clock::time_point t0{};
  rates.Remember(t0 + 1000s, {At(100, 1)});
  EXPECT_FALSE(rates.Of(t0 + 1005s, At(150, 1)));  // 5 s is too short a span
  rates.Remember(t0 + 1002s, {At(120, 1)});        // within kEvery: not remembered
  rates.Remember(t0 + 1030s, {At(400, 4)});
  auto r = rates.Of(t0 + 1060s, At(700, 7));
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(r->requests, 10.0);  // (700 - 100) / 60 s
  EXPECT_DOUBLE_EQ(r->errors, 0.1);
  EXPECT_DOUBLE_EQ(r->span_seconds, 60);
}

TEST(EndpointRatesTest, ForgetsLooksBeyondTheWindowAndNewEndpointsCountFromZero) {
  EndpointRates rates;
  const Clock::time_point t0{};
  rates.Remember(t0, {At(1000, 0)});
  rates.Remember(t0 + 400s, {At(2000, 0)});  // the first look is forgotten
  auto r = rates.Of(t0 + 420s, At(2200, 0));
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(r->requests, 10.0);
  EndpointSummary fresh{.endpoint = "/health", .requests = 40};
  r = rates.Of(t0 + 420s, fresh);
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(r->requests, 2.0);
  EXPECT_FALSE(rates.Of(t0 + 420s, At(10, 0)));  // counters started over
}

}  // namespace
}  // namespace vms::api_server
