#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "streaming_gateway/http_hls_fetcher.h"

namespace vms::streaming_gateway {
namespace {

TEST(HttpDateTest, ImfFixdate) {
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777.0);
  EXPECT_EQ(ParseHttpDate("Wed, 01 Jan 2025 00:00:00 GMT"), 1735689600.0);
}

TEST(HttpDateTest, AnythingElseIsUnknown) {
  for (const char* bad : {"", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
                          "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 08:49:37 GMTX",
                          "Sun, 32 Nov 1994 08:49:37 GMT", "garbage garbage garbage garbag"}) {
    EXPECT_EQ(ParseHttpDate(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace vms::streaming_gateway
