// Access-log parsing speed: the recorded nginx lines of each format parsed
// over and over, in lines per second and MB/s; and the follower end to end
// (a file of vms lines read, split and parsed by an AccessLogReader).
//   build/tests/bench/accesslog_bench [seconds per case, default 2]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/subprocess.h"
#include "vms/accesslog/access_line_parser.h"
#include "vms/accesslog/access_log_reader.h"
#include "vms/json/json_parser.h"

namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> Lines(const std::string& fixture) {
  std::ifstream in(vms::test::SourcePath("tests/fixtures/accesslog/" + fixture));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (line.size() < 1000) lines.push_back(line);  // leave out the 3000-byte query
  }
  return lines;
}

template <typename Fn>
void Measure(const char* what, const std::vector<std::string>& lines, double seconds, Fn fn) {
  std::size_t n = 0, bytes = 0, failed = 0;
  const auto start = Clock::now();
  while (std::chrono::duration<double>(Clock::now() - start).count() < seconds) {
    for (const auto& l : lines) {
      failed += fn(l) ? 0 : 1;
      bytes += l.size();
    }
    n += lines.size();
  }
  const double s = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("%-34s %10.0f lines/s %8.1f MB/s  (%zu failed)\n", what, n / s, bytes / s / 1e6,
              failed);
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 2;
  vms::AccessRecord record;
  for (auto [format, fixture] : {std::pair{vms::AccessLogFormat::kVms, "nginx-vms.log"},
                                 std::pair{vms::AccessLogFormat::kCombined, "nginx-combined.log"},
                                 std::pair{vms::AccessLogFormat::kJson, "nginx-vms_json.log"}}) {
    const auto lines = Lines(fixture);
    const std::string name = "ParseAccessLineInto " + std::string(vms::AccessLogFormatName(format));
    Measure(name.c_str(), lines, seconds, [&](const std::string& l) {
      return vms::ParseAccessLineInto(format, l, record).ok() || l.find("\t400\t") != l.npos;
    });
  }
  const auto json = Lines("nginx-vms_json.log");
  vms::JsonLimits lenient;
  lenient.validate_utf8 = false;
  Measure("ParseJson (DOM only)", json, seconds,
          [&](const std::string& l) { return vms::ParseJson(l, lenient).ok(); });

  // End to end: 360000 vms lines (~40 MB) through a reader, from the start.
  const std::string dir = vms::test::MakeTempDir();
  const auto vms_lines = Lines("nginx-vms.log");
  std::size_t total = 0;
  {
    std::ofstream out(dir + "/access.log");
    for (int i = 0; i < 20000; ++i) {
      for (const auto& l : vms_lines) {
        out << l << '\n';
        total += l.size() + 1;
      }
    }
  }
  vms::AccessLogSourceConfig source;
  source.path = dir + "/access.log";
  source.name = "bench";
  source.follower.start_at_end = false;
  std::size_t records = 0;
  vms::AccessLogReader reader({source},
                              [&](std::size_t, const vms::AccessLogSourceConfig&,
                                  std::span<const vms::AccessRecord> r) { records += r.size(); });
  const auto start = Clock::now();
  reader.Poll();
  const double s = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("%-34s %10.0f lines/s %8.1f MB/s  (%zu records, %zu parse errors)\n",
              "AccessLogReader vms, file to records", records / s, total / s / 1e6, records,
              static_cast<std::size_t>(reader.Stats()[0].stats.parse_errors));
  std::filesystem::remove_all(dir);
  return 0;
}
