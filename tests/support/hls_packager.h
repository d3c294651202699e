#pragma once

#include <memory>
#include <string>
#include <vector>

#include "support/subprocess.h"

namespace vms::test {

// A real ffmpeg writing live HLS into `dir` from a lavfi test pattern in real
// time (-re), with EXT-X-PROGRAM-DATE-TIME and temp_file (so a reader never
// sees a half-written playlist). One variant: `dir`/index.m3u8; two:
// `dir`/master.m3u8 naming stream_240p/index.m3u8 and stream_120p/index.m3u8.
// Stopped (SIGINT, so the playlist gets EXT-X-ENDLIST) and reaped on Stop()
// or destruction.
class HlsPackager {
 public:
  struct Options {
    int variants = 1;         // 1 or 2
    int segment_seconds = 1;  // -hls_time
    int list_size = 5;        // -hls_list_size; 0 keeps every segment
    bool delete_segments = true;
    std::string input{};  // an ffmpeg input URL (rtsp://...) instead of the test pattern
  };
  HlsPackager(std::string dir, Options options);
  ~HlsPackager();

  // The playlist a gateway serves: index.m3u8 or master.m3u8.
  std::string playlist() const;
  Subprocess& process() { return *process_; }
  // SIGINT and wait: ffmpeg finishes the last segment and writes ENDLIST.
  void Stop();
  std::string Log() const;

 private:
  std::string dir_;
  Options options_;
  std::unique_ptr<Subprocess> process_;
};

}  // namespace vms::test
