#include "vms/app/exporter_runtime.h"

#include <gtest/gtest.h>

namespace vms {
namespace {

TEST(ScrapeBudgetTest, HeaderMinusOffset) {
  EXPECT_DOUBLE_EQ(ScrapeBudgetSeconds("10", 0.5, 7), 9.5);
  EXPECT_DOUBLE_EQ(ScrapeBudgetSeconds("2.5", 0.5, 7), 2.0);
}

TEST(ScrapeBudgetTest, NeverBelowATenthOfASecond) {
  EXPECT_DOUBLE_EQ(ScrapeBudgetSeconds("0.3", 0.5, 7), 0.1);
}

TEST(ScrapeBudgetTest, AbsentOrMalformedHeadersTakeTheFallback) {
  for (const char* bad : {"", "ten", "10s", " 10", "0", "-3", "nan", "inf", "1e999", "10,5"}) {
    EXPECT_DOUBLE_EQ(ScrapeBudgetSeconds(bad, 0.5, 7), 7) << bad;
  }
}

}  // namespace
}  // namespace vms
