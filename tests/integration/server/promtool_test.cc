// `promtool check metrics` on each exporter's real /metrics output must print
// nothing: names, types, HELP and units all follow Prometheus' rules.
#include <gtest/gtest.h>

#include <fstream>

#include "support/exporter_process.h"
#include "support/http_client.h"

namespace vms::test {
namespace {

class PromtoolTest : public ::testing::TestWithParam<std::string> {};

TEST_P(PromtoolTest, CheckMetricsPrintsNothing) {
  ExporterProcess exporter(GetParam());
  ASSERT_TRUE(exporter.ready()) << exporter.Log();
  // Twice: the second scrape has counters and probe snapshots in steady state.
  ASSERT_EQ(HttpGet(exporter.port(), "/metrics").status, 200);
  auto reply = HttpGet(exporter.port(), "/metrics");
  ASSERT_EQ(reply.status, 200);
  const std::string path = MakeTempDir() + "/metrics.prom";
  std::ofstream(path) << reply.body;
  auto check = RunCommand("promtool check metrics < " + path);
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_EQ(check.output, "") << "for " << GetParam();
}

INSTANTIATE_TEST_SUITE_P(AllRoles, PromtoolTest,
                         ::testing::Values("recording_node_exporter", "streaming_gateway_exporter",
                                           "api_server_exporter"));

}  // namespace
}  // namespace vms::test
