#include "vms/host/network_collector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "support/subprocess.h"
#include "vms/metrics/collector_set.h"

namespace vms {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class NetworkCollectorTest : public ::testing::Test {
 protected:
  std::string Scrape(const NetworkConfig& config = {}) {
    auto collector = std::make_unique<NetworkCollector>(
        test::SourcePath("tests/fixtures/host/proc"), test::SourcePath("tests/fixtures/host/sys"));
    collector->Configure(config);
    CollectorSet set;
    set.Add(std::move(collector));
    return set.Scrape({std::chrono::steady_clock::now() + std::chrono::seconds(5)});
  }
};

TEST_F(NetworkCollectorTest, ExportsCountersPerInterface) {
  const std::string text = Scrape();
  EXPECT_THAT(text, HasSubstr("network_bytes_received_total{interface=\"eth0\"} 98765432101\n"));
  EXPECT_THAT(text, HasSubstr("network_bytes_sent_total{interface=\"eth0\"} 12345678901\n"));
  EXPECT_THAT(text, HasSubstr("network_packets_received_total{interface=\"eth0\"} 80123456\n"));
  EXPECT_THAT(text, HasSubstr("network_packets_sent_total{interface=\"eth0\"} 9876543\n"));
  EXPECT_THAT(text,
              HasSubstr("network_errors_total{interface=\"eth0\",direction=\"receive\"} 3\n"));
  EXPECT_THAT(text,
              HasSubstr("network_errors_total{interface=\"eth0\",direction=\"transmit\"} 1\n"));
  EXPECT_THAT(text,
              HasSubstr("network_drops_total{interface=\"eth0\",direction=\"receive\"} 17\n"));
  EXPECT_THAT(text,
              HasSubstr("network_drops_total{interface=\"eth0\",direction=\"transmit\"} 2\n"));
  EXPECT_THAT(text,
              HasSubstr("network_errors_total{interface=\"wlan0\",direction=\"transmit\"} 13\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE network_bytes_received_total counter"));
  EXPECT_THAT(text, HasSubstr("vms_exporter_collector_success{collector=\"netdev\"} 1"));
}

TEST_F(NetworkCollectorTest, DefaultExcludeDropsLoopbackVethAndDocker) {
  const std::string text = Scrape();
  EXPECT_THAT(text, HasSubstr("interface=\"eth1\""));
  EXPECT_THAT(text, HasSubstr("interface=\"wlan0\""));
  EXPECT_THAT(text, Not(HasSubstr("interface=\"lo\"")));
  EXPECT_THAT(text, Not(HasSubstr("interface=\"veth123\"")));
  EXPECT_THAT(text, Not(HasSubstr("interface=\"docker0\"")));
}

TEST_F(NetworkCollectorTest, ConfiguredExcludeReplacesTheDefault) {
  NetworkConfig config;
  config.interfaces_exclude = "^(eth1|wlan.*)$";
  const std::string text = Scrape(config);
  EXPECT_THAT(text, HasSubstr("network_bytes_received_total{interface=\"lo\"} 3942100\n"));
  EXPECT_THAT(text, HasSubstr("interface=\"veth123\""));
  EXPECT_THAT(text, Not(HasSubstr("interface=\"eth1\"")));
  EXPECT_THAT(text, Not(HasSubstr("interface=\"wlan0\"")));
}

TEST_F(NetworkCollectorTest, EmptyExcludeKeepsEverything) {
  NetworkConfig config;
  config.interfaces_exclude = "";
  const std::string text = Scrape(config);
  for (const char* iface : {"lo", "eth0", "eth1", "veth123", "docker0", "wlan0"}) {
    EXPECT_THAT(text,
                HasSubstr("network_bytes_sent_total{interface=\"" + std::string(iface) + "\"}"));
  }
}

TEST_F(NetworkCollectorTest, UpIsOneOnlyForOperstateUp) {
  NetworkConfig config;
  config.interfaces_exclude = "";
  const std::string text = Scrape(config);
  EXPECT_THAT(text, HasSubstr("network_up{interface=\"eth0\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("network_up{interface=\"eth1\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("network_up{interface=\"lo\"} 0\n"));  // operstate "unknown"
  EXPECT_THAT(text, HasSubstr("network_up{interface=\"wlan0\"} 1\n"));
}

TEST_F(NetworkCollectorTest, SpeedInBytesAbsentForDownLinkAndMissingFile) {
  const std::string text = Scrape();
  EXPECT_THAT(text, HasSubstr("network_speed_bytes{interface=\"eth0\"} 125000000\n"));
  EXPECT_THAT(text, Not(HasSubstr("network_speed_bytes{interface=\"eth1\"}")));   // -1: down
  EXPECT_THAT(text, Not(HasSubstr("network_speed_bytes{interface=\"wlan0\"}")));  // no file
}

TEST_F(NetworkCollectorTest, ReconfigureTakesEffectOnTheNextScrape) {
  NetworkCollector collector(test::SourcePath("tests/fixtures/host/proc"),
                             test::SourcePath("tests/fixtures/host/sys"));
  auto scrape = [&] {
    std::vector<prometheus::MetricFamily> families;
    MetricWriter out(&families);
    EXPECT_TRUE(collector.Collect({}, out).ok());
    std::size_t series = 0;
    for (const auto& f : families) {
      if (f.name == "network_bytes_received_total") series = f.metric.size();
    }
    return series;
  };
  EXPECT_EQ(scrape(), 3u);  // eth0, eth1, wlan0
  collector.Configure(NetworkConfig{""});
  EXPECT_EQ(scrape(), 6u);
}

TEST_F(NetworkCollectorTest, MissingNetDevFailsTheCollectorWithThePath) {
  NetworkCollector collector("/nonexistent-procfs", test::SourcePath("tests/fixtures/host/sys"));
  std::vector<prometheus::MetricFamily> families;
  MetricWriter out(&families);
  const Status s = collector.Collect({}, out);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("/nonexistent-procfs/net/dev"));
}

TEST_F(NetworkCollectorTest, MissingSysfsLeavesStateAndSpeedOut) {
  CollectorSet set;
  set.Add(std::make_unique<NetworkCollector>(test::SourcePath("tests/fixtures/host/proc"),
                                             "/nonexistent-sysfs"));
  const std::string text = set.Scrape({std::chrono::steady_clock::now()});
  EXPECT_THAT(text, HasSubstr("network_bytes_received_total{interface=\"eth0\"}"));
  EXPECT_THAT(text, Not(HasSubstr("network_up{")));
  EXPECT_THAT(text, Not(HasSubstr("network_speed_bytes{")));
}

}  // namespace
}  // namespace vms
