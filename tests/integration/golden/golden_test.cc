// Each exporter run end to end against the fixture /proc and /sys trees; its
// /metrics, with volatile values masked, must equal the checked-in file in
// tests/golden/. Regenerate after an intended change with:
//   VMS_UPDATE_GOLDEN=1 ./build/tests/golden_test
// and review the diff like code.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
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
    "camera_probes_total|camera_probe_failures_total|stream_latency_seconds|"
    "hls_playlist_age_seconds|api_probe_duration_seconds|api_probe_total_duration_seconds)"
    "(\\{.*\\})? .*$");
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

// The role's golden config with @RECORDINGS@ standing for `recordings`.
std::string WriteConfig(const std::string& role, const std::string& recordings) {
  const std::string source = SourcePath("tests/golden/" + role + ".yml");
  std::string text = ReadAll(source);
  for (std::size_t at; (at = text.find("@RECORDINGS@")) != std::string::npos;) {
    text.replace(at, 12, recordings);
  }
  const std::string path = MakeTempDir() + "/" + role + ".yml";
  std::ofstream(path) << text;
  return path;
}

// Copies a recorded segment of tests/fixtures/recordings into `dir` as a
// recorder would have left it: unmodified since the time in its name, so it
// counts as closed at once.
void AddSegment(const std::string& dir, const std::string& name) {
  const std::string to = dir + "/" + name;
  fs::copy_file(SourcePath("tests/fixtures/recordings/cam1/" + name), to,
                fs::copy_options::overwrite_existing);
  const std::string stamp = name.substr(0, 8) + name.substr(9, 4) + "." + name.substr(13, 2);
  ASSERT_EQ(RunCommand("TZ=UTC touch -m -t " + stamp + " " + to).exit_code, 0);
}

// /metrics once `ready` holds for it (a wait for background work, not a timing
// assertion: it gives up after ten seconds).
HttpReply WaitFor(unsigned short port, const std::function<bool(const std::string&)>& ready) {
  HttpReply reply;
  for (int i = 0; i < 200; ++i) {
    reply = HttpGet(port, "/metrics");
    if (reply.status == 200 && ready(reply.body)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return reply;
}

bool Has(const std::string& body, const std::string& line) {
  return body.find(line) != std::string::npos;
}

// The streaming gateway's playlist: a finished (VOD) one, three segments of
// known sizes.
void WriteVodPlaylist(const std::string& dir) {
  fs::create_directories(dir);
  std::ofstream playlist(dir + "/index.m3u8");
  playlist << "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
              "#EXT-X-PLAYLIST-TYPE:VOD\n";
  for (int i = 0; i < 3; ++i) {
    playlist << "#EXT-X-PROGRAM-DATE-TIME:2025-01-01T00:00:0" << 2 * i << ".000Z\n#EXTINF:2.000,\nseg"
             << i << ".ts\n";
    std::ofstream(dir + "/seg" + std::to_string(i) + ".ts") << std::string(1000 * (i + 1), 'x');
  }
  playlist << "#EXT-X-ENDLIST\n";
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, MetricsMatchGoldenFile) {
  const std::string role = GetParam();
  const std::string procfs = SourcePath("tests/fixtures/host/proc");
  const std::string sysfs = SourcePath("tests/fixtures/host/sys");
  std::vector<std::string> args = {"--path.procfs=" + procfs, "--path.sysfs=" + sysfs,
                                   "--path.rootfs=" + MakeRootfs(procfs)};
  // Segment names are read as local time, as recorders write them.
  ::setenv("TZ", "UTC", 1);
  const std::string recordings = MakeTempDir();
  fs::create_directories(recordings + "/cam1");
  if (role == "recording_node") AddSegment(recordings + "/cam1", "20250101-000000.ts");
  if (role == "streaming_gateway") {
    WriteVodPlaylist(recordings + "/hls");
    fs::copy_file(SourcePath("tests/fixtures/accesslog/nginx-vms.log"), recordings + "/access.log");
    // Two WHEP offers for cam1, made from the recorded lines' shape (the
    // recording has none): one answered 201, one refused 400.
    std::ofstream(recordings + "/access.log", std::ios::app)
        << "vms1\t1796305493.001\t127.0.0.1\tPOST\t/hls/cam1/whep\tHTTP/1.1\t201\t412\t240\t0.004"
           "\t0.003\t33601\t\t\t\t\tcurl/7.88.1\tend\n"
        << "vms1\t1796305493.002\t127.0.0.1\tPOST\t/hls/cam1/whep\tHTTP/1.1\t400\t180\t11\t0.001"
           "\t0.001\t33601\t\t\t\t\tcurl/7.88.1\tend\n";
  }
  if (role == "api_server") {
    const std::string log = recordings + "/api-access.log";
    fs::copy_file(SourcePath("tests/fixtures/accesslog/nginx-vms.log"), log);
    std::ofstream(log, std::ios::app)
        << "vms1\t1796305494.001\t127.0.0.1\tPOST\t/api/login\tHTTP/1.1\t200\t310\t40\t0.021"
           "\t0.020\t33601\t\t\t\t\tcurl/7.88.1\tend\n"
        << "vms1\t1796305494.002\t127.0.0.1\tPOST\t/api/login\tHTTP/1.1\t401\t190\t28\t0.012"
           "\t0.011\t33601\t\t\t\t\tcurl/7.88.1\tend\n";
  }
  if (fs::exists(SourcePath("tests/golden/" + role + ".yml"))) {
    args.push_back("--config.file=" + WriteConfig(role, recordings));
  }
  ExporterProcess exporter(role + "_exporter", args);
  ASSERT_TRUE(exporter.ready()) << exporter.Log();
  HttpReply reply = WaitFor(exporter.port(), [](const std::string&) { return true; });
  if (role == "recording_node") {
    // Probe-fed series appear after the first probe, segment-fed ones after
    // the analysis passes: wait for each step so the output does not depend
    // on timing. The segments arrive one after the other, as a recorder
    // writes them (a first pass analyses only the newest segment on disk).
    auto has = [](std::string line) {
      return [line](const std::string& body) { return Has(body, line); };
    };
    reply = WaitFor(exporter.port(),
                    has("camera_connection_state{camera_id=\"cam1\",state=\"refused\"} 1"));
    reply = WaitFor(exporter.port(), has("recording_segments_total{camera_id=\"cam1\"} 1\n"));
    AddSegment(recordings + "/cam1", "20250101-000002.ts");
    reply = WaitFor(exporter.port(), has("recording_segments_total{camera_id=\"cam1\"} 2\n"));
    AddSegment(recordings + "/cam1", "20250101-000010.ts");
    reply = WaitFor(exporter.port(), has("recording_segments_total{camera_id=\"cam1\"} 3\n"));
    // The steady state: nothing new is recorded, so the next pass sets fps 0.
    reply = WaitFor(exporter.port(), has("camera_fps{camera_id=\"cam1\"} 0\n"));
    EXPECT_TRUE(Has(reply.body, "recording_segments_total{camera_id=\"cam1\"} 3\n"))
        << exporter.Log();
  }
  if (role == "streaming_gateway") {
    reply = WaitFor(exporter.port(), [](const std::string& body) {
      return Has(body, "stream_up{camera_id=\"lobby\",protocol=\"rtsp\"} 0\n") &&
             Has(body, "hls_segments_total{camera_id=\"lobby\",quality=\"default\"} 3\n") &&
             Has(body, "vms_exporter_log_lines_total{file=\"gateway\"} 21\n");
    });
  }
  if (role == "api_server") {
    // The health check's and the database's first probes (refused) ended;
    // the next are 27 s or more away.
    reply = WaitFor(exporter.port(), [](const std::string& body) {
      return Has(body, "vms_exporter_log_lines_total{file=\"api\"} 21\n") &&
             Has(body, "api_probes_total{target=\"api\"} 1\n") &&
             Has(body,
                 "database_query_errors_total{database=\"main\",query_type=\"stats\","
                 "reason=\"connect\"} 1\n") &&
             Has(body,
                 "database_query_errors_total{database=\"main\",query_type=\"ping\","
                 "reason=\"connect\"} 1\n");
    });
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
