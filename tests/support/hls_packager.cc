#include "support/hls_packager.h"

#include <csignal>
#include <fstream>
#include <sstream>

namespace vms::test {

HlsPackager::HlsPackager(std::string dir, Options options)
    : dir_(std::move(dir)), options_(std::move(options)) {
  std::vector<std::string> argv = {"/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error",
                                   "-nostdin"};
  if (options_.input.empty()) {
    argv.insert(argv.end(), {"-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25"});
  } else {
    argv.insert(argv.end(),
                {"-rtsp_transport", "tcp", "-timeout", "5000000", "-i", options_.input});
  }
  std::string flags = "program_date_time+temp_file";
  if (options_.delete_segments) flags += "+delete_segments";
  const std::vector<std::string> encode = {"-c:v",
                                           "libx264",
                                           "-preset",
                                           "ultrafast",
                                           "-g",
                                           "25",
                                           "-pix_fmt",
                                           "yuv420p",
                                           "-f",
                                           "hls",
                                           "-hls_time",
                                           std::to_string(options_.segment_seconds),
                                           "-hls_list_size",
                                           std::to_string(options_.list_size),
                                           "-hls_flags",
                                           flags};
  if (options_.variants == 2) {
    argv.insert(argv.end(), {"-filter_complex", "[0:v]split=2[a][b];[b]scale=160:120[b2]", "-map",
                             "[a]", "-map", "[b2]"});
    argv.insert(argv.end(), encode.begin(), encode.end());
    argv.insert(argv.end(),
                {"-b:v:0", "400k", "-b:v:1", "150k", "-master_pl_name", "master.m3u8",
                 "-var_stream_map", "v:0,name:240p v:1,name:120p", dir_ + "/stream_%v/index.m3u8"});
  } else {
    if (!options_.input.empty()) argv.insert(argv.end(), {"-an"});
    argv.insert(argv.end(), encode.begin(), encode.end());
    argv.push_back(dir_ + "/index.m3u8");
  }
  process_ = std::make_unique<Subprocess>(argv, dir_ + "/ffmpeg.log");
}

HlsPackager::~HlsPackager() { Stop(); }

std::string HlsPackager::playlist() const {
  return dir_ + (options_.variants == 2 ? "/master.m3u8" : "/index.m3u8");
}

void HlsPackager::Stop() {
  if (!process_) return;
  process_->Signal(SIGINT);
  if (process_->Wait(std::chrono::seconds(10)) == -1) process_->Signal(SIGKILL);
  process_.reset();
}

std::string HlsPackager::Log() const {
  std::ifstream in(dir_ + "/ffmpeg.log");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace vms::test
