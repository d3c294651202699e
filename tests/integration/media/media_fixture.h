#pragma once

// Media made by the ffmpeg CLI inside the test, with ground truth from
// ffprobe, for the segment analyzer's accuracy tests.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/subprocess.h"

namespace vms::media::test {

inline std::string Quote(const std::string& s) { return "'" + s + "'"; }

// Runs ffmpeg quietly; the output names the failing command.
inline ::testing::AssertionResult Ffmpeg(const std::string& args) {
  const std::string command = "ffmpeg -hide_banner -nostdin -loglevel error -y " + args;
  const auto result = vms::test::RunCommand(command);
  if (result.exit_code == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << command << "\n" << result.output;
}

// A testsrc clip: `seconds` at `fps`, H.264 with B-frames, a GOP of one
// second, 400 kbit/s. `inputs` adds inputs (an audio source), `outputs` adds
// output options (filters, audio codec, muxer flags).
inline ::testing::AssertionResult MakeClip(const std::string& path, int fps, int seconds,
                                           const std::string& inputs = "",
                                           const std::string& outputs = "") {
  std::ostringstream args;
  args << "-f lavfi -i testsrc=size=320x240:rate=" << fps << " " << inputs << " -t " << seconds
       << " " << outputs << " -c:v libx264 -preset superfast -g " << fps << " -b:v 400k "
       << Quote(path);
  return Ffmpeg(args.str());
}

struct PacketTruth {
  std::uint64_t video_packets = 0;
  std::uint64_t video_bytes = 0;
  std::uint64_t all_bytes = 0;  // video + audio
};

inline void SumSizes(const std::string& output, std::uint64_t* count, std::uint64_t* bytes) {
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    // MPEG-TS packets carry side data, which csv prints as a trailing field.
    line = line.substr(0, line.find(','));
    if (line.empty() || line.find_first_not_of("0123456789") != std::string::npos) continue;
    ++*count;
    *bytes += std::stoull(line);
  }
}

// What ffprobe's own demuxing reports, independently of the analyzer.
inline PacketTruth Probe(const std::string& path) {
  PacketTruth truth;
  const std::string base = "ffprobe -v quiet -show_entries packet=size -of csv=p=0 ";
  SumSizes(vms::test::RunCommand(base + "-select_streams v:0 " + Quote(path)).output,
           &truth.video_packets, &truth.video_bytes);
  std::uint64_t all_packets = 0;
  SumSizes(vms::test::RunCommand(base + Quote(path)).output, &all_packets, &truth.all_bytes);
  return truth;
}

// Sets a file's mtime to `seconds_ago` in the past (a closed segment).
inline void AgeFile(const std::string& path, double seconds_ago) {
  struct timeval now;
  gettimeofday(&now, nullptr);
  const double t = static_cast<double>(now.tv_sec) + now.tv_usec * 1e-6 - seconds_ago;
  struct timeval times[2];
  times[0].tv_sec = times[1].tv_sec = static_cast<time_t>(t);
  times[0].tv_usec = times[1].tv_usec =
      static_cast<suseconds_t>((t - static_cast<double>(static_cast<time_t>(t))) * 1e6);
  ASSERT_EQ(utimes(path.c_str(), times), 0) << path;
}

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void WriteAll(const std::string& path, const std::string& data, bool append = false) {
  std::ofstream out(path, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
  out << data;
}

}  // namespace vms::media::test
