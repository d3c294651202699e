// Scrapes an exporter N times in sequence over one keep-alive connection and
// reports latency (median, p90, p99, max), CPU seconds per scrape and memory
// (RSS and USS from /proc/PID/smaps_rollup) of the process behind the port.
//
//   scrape_bench --port 9090 --pid 1234 --count 1000 [--label name] [--gzip]
//
// Prints one JSON object per run so scripts can tabulate runs side by side.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/http_client.h"
#include "vms/base/file.h"
#include "vms/procfs/pid_stat.h"

namespace {

struct Memory {
  double rss_bytes = 0;
  double uss_bytes = 0;  // Private_Clean + Private_Dirty (+ Private_Hugetlb)
};

Memory ReadMemory(int pid) {
  Memory m;
  auto text = vms::ReadFile("/proc/" + std::to_string(pid) + "/smaps_rollup");
  if (!text) return m;
  std::istringstream in(*text);
  std::string key;
  double kb;
  std::string unit;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    if (!(ls >> key >> kb)) continue;
    if (key == "Rss:") m.rss_bytes = kb * 1024;
    if (key == "Private_Clean:" || key == "Private_Dirty:" || key == "Private_Hugetlb:") {
      m.uss_bytes += kb * 1024;
    }
  }
  return m;
}

double CpuSeconds(int pid) {
  auto text = vms::ReadFile("/proc/" + std::to_string(pid) + "/stat");
  if (!text) return 0;
  auto st = vms::ParsePidStat(*text);
  if (!st) return 0;
  return static_cast<double>(st->utime_ticks + st->stime_ticks) /
         static_cast<double>(sysconf(_SC_CLK_TCK));
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto idx = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(idx, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  unsigned short port = 0;
  int pid = 0;
  int count = 1000;
  std::string label = "exporter";
  std::string path = "/metrics";
  bool gzip = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--port") port = static_cast<unsigned short>(std::atoi(next().c_str()));
    else if (a == "--pid") pid = std::atoi(next().c_str());
    else if (a == "--count") count = std::atoi(next().c_str());
    else if (a == "--label") label = next();
    else if (a == "--path") path = next();
    else if (a == "--gzip") gzip = true;
    else {
      std::fprintf(stderr, "unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  if (port == 0 || pid == 0) {
    std::fprintf(stderr, "usage: scrape_bench --port P --pid PID [--count N] [--label L] [--gzip]\n");
    return 2;
  }

  vms::test::RawConnection conn(port);
  if (!conn.connected()) {
    std::fprintf(stderr, "cannot connect to 127.0.0.1:%u\n", port);
    return 1;
  }
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                              (gzip ? "Accept-Encoding: gzip\r\n" : "") + "\r\n";
  // Warm-up: first scrapes fill caches and, for probes, snapshots.
  for (int i = 0; i < 5; ++i) {
    conn.Send(request);
    conn.ReadResponse();
  }
  std::vector<double> latencies;
  latencies.reserve(static_cast<std::size_t>(count));
  std::size_t bytes = 0;
  int failures = 0;
  const double cpu_before = CpuSeconds(pid);
  const auto wall_start = std::chrono::steady_clock::now();
  for (int i = 0; i < count; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    conn.Send(request);
    auto reply = conn.ReadResponse();
    const auto t1 = std::chrono::steady_clock::now();
    if (reply.status != 200) ++failures;
    bytes = reply.body.size();
    latencies.push_back(std::chrono::duration<double>(t1 - t0).count());
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  const double cpu = CpuSeconds(pid) - cpu_before;
  const Memory mem = ReadMemory(pid);
  std::printf(
      "{\"label\":\"%s\",\"scrapes\":%d,\"failures\":%d,\"body_bytes\":%zu,"
      "\"median_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,"
      "\"cpu_ms_per_scrape\":%.3f,\"wall_s\":%.2f,\"rss_mib\":%.2f,\"uss_mib\":%.2f}\n",
      label.c_str(), count, failures, bytes, Percentile(latencies, 0.5) * 1e3,
      Percentile(latencies, 0.9) * 1e3, Percentile(latencies, 0.99) * 1e3,
      Percentile(latencies, 1.0) * 1e3, cpu / count * 1e3, wall, mem.rss_bytes / 1048576.0,
      mem.uss_bytes / 1048576.0);
  return failures == 0 ? 0 : 1;
}
