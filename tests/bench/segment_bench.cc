// Segment analysis cost without the rest of the exporter: N camera
// directories are fed an MPEG-TS source as a recorder would write it
// (appends every `tick`, a new segment every 10 s, the newest 3 kept), and N
// SegmentAnalyzers make a pass every 5 s of simulated time. Time is simulated,
// so a 5-minute soak takes seconds; only the analyzers' CPU is measured
// (CLOCK_THREAD_CPUTIME_ID around Pass()), and reported as the share of one
// core the analysis of N real-time cameras would cost. The camera counters
// are checked against the source (frames per segment, bytes).
//
//   segment_bench SOURCE.ts DIR [CAMERAS=64] [SECONDS=120]
#include <fcntl.h>
#include <malloc.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "vms/media/segment_analyzer.h"

namespace {

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

void Append(const std::string& path, const char* data, std::size_t size) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0 || write(fd, data, size) != static_cast<ssize_t>(size)) {
    std::perror(path.c_str());
    std::exit(1);
  }
  close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s SOURCE.ts DIR [CAMERAS] [SECONDS]\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[2];
  const int cameras = argc > 3 ? std::atoi(argv[3]) : 64;
  const int seconds = argc > 4 ? std::atoi(argv[4]) : 120;
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string source = buffer.str();  // one 10 s segment
  constexpr int kTicksPerSecond = 4;
  constexpr std::chrono::seconds kCloseAfter{2};
  constexpr int kSegmentSeconds = 10;
  constexpr int kTicksPerSegment = kTicksPerSecond * kSegmentSeconds;
  const std::size_t packets = source.size() / 188;

  std::filesystem::remove_all(dir);
  std::vector<std::unique_ptr<vms::media::SegmentAnalyzer>> analyzers;
  std::vector<std::vector<std::string>> written(cameras);
  for (int c = 0; c < cameras; ++c) {
    const std::string cam_dir = dir + "/cam" + std::to_string(c);
    std::filesystem::create_directories(cam_dir);
    vms::media::SegmentAnalyzerOptions options;
    options.directory = cam_dir;
    options.close_after = kCloseAfter;  // simulated time runs much faster
    analyzers.push_back(std::make_unique<vms::media::SegmentAnalyzer>(options));
  }
  double cpu = 0;
  const int ticks = seconds * kTicksPerSecond;
  for (int t = 0; t < ticks; ++t) {
    for (int c = 0; c < cameras; ++c) {
      // Cameras are staggered across the segment length: each starts
      // recording a little later, with a whole segment (PAT and PMT first).
      const int local = t - c * kTicksPerSegment / cameras;
      if (local < 0) continue;
      const int segment = local / kTicksPerSegment;
      const int part = local % kTicksPerSegment;
      char name[64];
      std::snprintf(name, sizeof(name), "/20260101-%06d.ts", segment * kSegmentSeconds);
      const std::string path = dir + "/cam" + std::to_string(c) + name;
      if (part == 0) {
        written[c].push_back(path);
        if (written[c].size() > 3) {
          std::filesystem::remove(written[c].front());
          written[c].erase(written[c].begin());
        }
      }
      const std::size_t begin = packets * part / kTicksPerSegment * 188;
      const std::size_t end = packets * (part + 1) / kTicksPerSegment * 188;
      Append(path, source.data() + begin, end - begin);
    }
    // Every 5 s of simulated time, one pass per camera, staggered like the
    // worker's timers.
    const int pass_every = 5 * kTicksPerSecond;
    for (int c = 0; c < cameras; ++c) {
      if ((t + c * pass_every / cameras) % pass_every != 0) continue;
      const double start = ThreadCpuSeconds();
      analyzers[c]->Pass();
      cpu += ThreadCpuSeconds() - start;
    }
  }
  // Settle: every file closed (unmodified for close_after) and analysed to
  // its end, so the totals are those of everything written and can be
  // compared across builds.
  sleep(static_cast<unsigned>(kCloseAfter.count()) + 1);
  for (int c = 0; c < cameras; ++c) {
    const double start = ThreadCpuSeconds();
    analyzers[c]->Pass();
    cpu += ThreadCpuSeconds() - start;
  }
  std::uint64_t frames = 0, segments = 0, bytes = 0, read = 0, dropped = 0, corrupt = 0;
  for (const auto& a : analyzers) {
    frames += a->stats().frames_total;
    segments += a->stats().segments_total;
    bytes += a->stats().media_bytes_total;
    read += a->stats().bytes_read_total;
    dropped += a->stats().frames_dropped_total;
    corrupt += a->stats().corrupt_packets_total;
    if (!a->stats().last_error.empty()) std::fprintf(stderr, "error: %s\n", a->stats().last_error.c_str());
  }
  const struct mallinfo2 mi = mallinfo2();
  std::printf(
      "cameras %d, simulated %d s: analysis CPU %.3f s = %.2f%% of one core in real time; "
      "%.3f ns per byte read\n",
      cameras, seconds, cpu, 100.0 * cpu / seconds, cpu * 1e9 / static_cast<double>(read));
  std::printf(
      "frames %llu (%.2f/s per camera), segments %llu, media bytes %llu, read %llu, dropped %llu, "
      "corrupt %llu\n",
      static_cast<unsigned long long>(frames), static_cast<double>(frames) / cameras / seconds,
      static_cast<unsigned long long>(segments), static_cast<unsigned long long>(bytes),
      static_cast<unsigned long long>(read), static_cast<unsigned long long>(dropped),
      static_cast<unsigned long long>(corrupt));
  std::printf("malloc: arena %.2f MiB, in use %.2f MiB, mmapped %.2f MiB\n", mi.arena / 1048576.0,
              mi.uordblks / 1048576.0, mi.hblkhd / 1048576.0);
  std::filesystem::remove_all(dir);
  return 0;
}
