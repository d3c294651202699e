#include "vms/procfs/net_dev.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vms {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kHeader =
    "Inter-|   Receive                                                |  Transmit\n"
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs "
    "drop fifo colls carrier compressed\n";

TEST(NetDevTest, ParsesCountersInFileOrder) {
  const std::string text =
      std::string(kHeader) +
      "    lo: 3942100     41230    0    0    0     0          0         0  3942100     41230    "
      "0    0    0     0       0          0\n"
      "  eth0: 98765432101 80123456    3   17    0     0          0      1204 12345678901 9876543 "
      "   1    2    0     0       0          0\n";
  auto parsed = ParseNetDev(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0].interface, "lo");
  const NetDevStats& eth0 = (*parsed)[1];
  EXPECT_EQ(eth0.interface, "eth0");
  EXPECT_EQ(eth0.receive_bytes, 98765432101u);
  EXPECT_EQ(eth0.receive_packets, 80123456u);
  EXPECT_EQ(eth0.receive_errors, 3u);
  EXPECT_EQ(eth0.receive_drops, 17u);
  EXPECT_EQ(eth0.transmit_bytes, 12345678901u);
  EXPECT_EQ(eth0.transmit_packets, 9876543u);
  EXPECT_EQ(eth0.transmit_errors, 1u);
  EXPECT_EQ(eth0.transmit_drops, 2u);
}

TEST(NetDevTest, AcceptsNoSpaceAfterColonAsOldKernelsWrite) {
  auto parsed = ParseNetDev("eth0:100 2 0 0 0 0 0 0 300 4 0 0 0 0 0 0\n");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ((*parsed)[0].interface, "eth0");
  EXPECT_EQ((*parsed)[0].receive_bytes, 100u);
  EXPECT_EQ((*parsed)[0].transmit_bytes, 300u);
}

TEST(NetDevTest, HeaderOnlyIsNoInterfaces) {
  auto parsed = ParseNetDev(kHeader);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_TRUE(parsed->empty());
}

TEST(NetDevTest, TooFewFieldsIsAnErrorNamingTheLine) {
  auto parsed = ParseNetDev(std::string(kHeader) + "  eth0: 1 2 3\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.error(), HasSubstr("line 3"));
  EXPECT_THAT(parsed.error(), HasSubstr("eth0: 1 2 3"));
}

TEST(NetDevTest, TooManyOrNonNumericFieldsAreErrors) {
  EXPECT_FALSE(ParseNetDev("eth0: 1 2 0 0 0 0 0 0 3 4 0 0 0 0 0 0 99\n").ok());
  EXPECT_FALSE(ParseNetDev("eth0: 1 2 0 0 0 0 0 0 3 x 0 0 0 0 0 0\n").ok());
  EXPECT_FALSE(ParseNetDev("eth0: 1 2 0 0 0 0 0 0 3 -4 0 0 0 0 0 0\n").ok());
  EXPECT_FALSE(ParseNetDev(": 1 2 0 0 0 0 0 0 3 4 0 0 0 0 0 0\n").ok());
}

}  // namespace
}  // namespace vms
