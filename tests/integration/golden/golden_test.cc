// Each exporter run end to end against the fixture /proc and /sys trees; its
// /metrics, with volatile values masked, must equal the checked-in file in
// tests/golden/. Regenerate after an intended change with:
//   VMS_UPDATE_GOLDEN=1 ./build/tests/golden_test
// and review the diff like code.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "support/exporter_process.h"
#include "support/http_client.h"

namespace vms::test {
namespace {

namespace fs = std::filesystem;

// Series whose values depend on the machine, the clock or the build rather
// than on the fixtures: the series stays, its value is masked.
const std::regex kVolatile(
    "^(process_[a-z_]+|vms_exporter_collector_duration_seconds|"
    "vms_exporter_config_last_reload_success_timestamp_seconds|disk_space_[a-z_]+_bytes|"
    "disk_inodes(_[a-z_]+)?|camera_probe_duration_seconds|camera_probe_timestamp_seconds|"
    "camera_probes_total|camera_probe_failures_total)(\\{.*\\})? .*$");
const std::regex kBuildInfo("^vms_exporter_build_info\\{.*\\} 1$");

std::string Normalize(const std::string& exposition) {
  std::istringstream in(exposition);
  std::ostringstream out;
  std::string line;
  while (std::getline(in, line)) {
    if (std::regex_match(line, kBuildInfo)) {
      line = "vms_exporter_build_info{<volatile>} 1";
    } else if (line[0] != '#' && std::regex_match(line, kVolatile)) {
      line = line.substr(0, line.rfind(' ')) + " <volatile>";
    }
    out << line << "\n";
  }
  return out.str();
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// statvfs needs real directories: a temporary root holding every mount point
// named by the fixture mountinfo.
std::string MakeRootfs(const std::string& procfs) {
  const std::string root = MakeTempDir();
  for (const char* candidate : {"/self/mountinfo", "/1/mountinfo"}) {
    std::ifstream in(procfs + candidate);
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string f[5];
      for (auto& x : f) fields >> x;
      std::string mount_point = std::regex_replace(f[4], std::regex("\\\\040"), " ");
      std::error_code ec;
      fs::create_directories(root + mount_point, ec);
    }
  }
  return root;
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, MetricsMatchGoldenFile) {
  const std::string role = GetParam();
  const std::string procfs = SourcePath("tests/fixtures/host/proc");
  const std::string sysfs = SourcePath("tests/fixtures/host/sys");
  std::vector<std::string> args = {"--path.procfs=" + procfs, "--path.sysfs=" + sysfs,
                                   "--path.rootfs=" + MakeRootfs(procfs)};
  const std::string config = SourcePath("tests/golden/" + role + ".yml");
  if (fs::exists(config)) args.push_back("--config.file=" + config);
  ExporterProcess exporter(role + "_exporter", args);
  ASSERT_TRUE(exporter.ready()) << exporter.Log();
  // Probe-fed series appear after the first probe (within a second here):
  // wait for it so that the output does not depend on timing.
  HttpReply reply;
  for (int i = 0; i < 100; ++i) {
    reply = HttpGet(exporter.port(), "/metrics");
    if (role != "recording_node" ||
        reply.body.find("camera_connection_state{camera_id=\"cam1\",state=\"refused\"} 1") !=
            std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(reply.status, 200);

  const std::string raw_path = MakeTempDir() + "/metrics.prom";
  std::ofstream(raw_path) << reply.body;
  auto lint = RunCommand("promtool check metrics < " + raw_path);
  EXPECT_EQ(lint.output, "");

  const std::string actual = Normalize(reply.body);
  const std::string golden_path = SourcePath("tests/golden/" + role + ".prom");
  if (std::getenv("VMS_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden_path) << actual;
    GTEST_SKIP() << "rewrote " << golden_path;
  }
  ASSERT_TRUE(fs::exists(golden_path)) << golden_path << " missing; run with VMS_UPDATE_GOLDEN=1";
  const std::string expected = ReadAll(golden_path);
  if (actual != expected) {
    const std::string actual_path = MakeTempDir() + "/" + role + ".prom";
    std::ofstream(actual_path) << actual;
    auto diff = RunCommand("diff -u " + golden_path + " " + actual_path);
    FAIL() << "metrics differ from " << golden_path << ":\n" << diff.output;
  }
}

INSTANTIATE_TEST_SUITE_P(AllRoles, GoldenTest,
                         ::testing::Values("recording_node", "streaming_gateway", "api_server"));

}  // namespace
}  // namespace vms::test
