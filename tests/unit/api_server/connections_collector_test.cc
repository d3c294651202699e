#include "api_server/connections_collector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "support/subprocess.h"
#include "vms/metrics/exposition_text.h"

namespace vms::api_server {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string Render(ConnectionsCollector& c, Status* status = nullptr) {
  std::vector<prometheus::MetricFamily> families;
  MetricWriter writer(&families);
  const Status s = c.Collect({std::chrono::steady_clock::now() + std::chrono::seconds(1)}, writer);
  if (status != nullptr) *status = s;
  std::string text;
  AppendFamiliesText(std::move(families), text);
  return text;
}

ConnectionsConfig Parse(const std::string& yaml) {
  return ParseConnections(MapReader(ParseYaml(yaml, "c.yml"), "c.yml", "connections"));
}

// The fixture's recorded sockets (tests/fixtures/procfs/make_net_tcp.py).
TEST(ConnectionsCollectorTest, CountsEstablishedConnectionsByLocalPortIpv4AndIpv6) {
  ConnectionsCollector c(test::SourcePath("tests/fixtures/host/proc"));
  c.Configure(Parse("ports: [48080, 48081, 9999]\nwebsocket_ports: [48082]\n"));
  const std::string text = Render(c);
  EXPECT_THAT(text, HasSubstr("active_connections{port=\"48080\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("active_connections{port=\"48081\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("active_connections{port=\"9999\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("websocket_connections 1\n"));
}

TEST(ConnectionsCollectorTest, NothingConfiguredNothingRead) {
  ConnectionsCollector c("/nonexistent");
  Status s;
  EXPECT_EQ(Render(c, &s), "");
  EXPECT_TRUE(s.ok());
}

TEST(ConnectionsCollectorTest, MissingTcp6IsIpv6DisabledButMissingTcpIsAnError) {
  const std::string dir = test::MakeTempDir();
  fs::create_directories(dir + "/net");
  fs::copy_file(test::SourcePath("tests/fixtures/procfs/net_tcp.txt"), dir + "/net/tcp");
  ConnectionsCollector c(dir);
  c.Configure(Parse("ports: [48080]\n"));
  Status s;
  EXPECT_THAT(Render(c, &s), HasSubstr("active_connections{port=\"48080\"} 3\n"));
  EXPECT_TRUE(s.ok()) << s.message();
  fs::remove(dir + "/net/tcp");
  Render(c, &s);
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr(dir + "/net/tcp"));
}

TEST(ConnectionsCollectorTest, ConfigErrorsNameTheKey) {
  auto error = [](const std::string& yaml) {
    try {
      Parse(yaml);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_THAT(error("ports: [0]\n"),
              HasSubstr("c.yml:1:9: connections.ports: must be between 1 and 65535"));
  EXPECT_THAT(error("ports: [8080, 8080]\n"),
              HasSubstr("connections.ports: lists port 8080 twice"));
  EXPECT_THAT(error("ports: 8080\n"), HasSubstr("connections.ports: expected a list of integers"));
  EXPECT_THAT(error("port: [1]\n"), HasSubstr("connections.port: unknown key"));
}

}  // namespace
}  // namespace vms::api_server
