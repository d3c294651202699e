#pragma once

// Internal to vms_media: demuxes (never decodes) an InputSource and hands every
// video and audio packet to a callback, in steps bounded by bytes read from
// disk, so a long segment is spread over several passes.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "av_input.h"
#include "vms/base/status.h"

namespace vms::media::internal {

struct DemuxedPacket {
  bool video = false;  // the segment's (first) video stream; else audio
  int stream_id = 0;   // the container's id for the stream: the PID in MPEG-TS
  bool has_pts = false;
  std::int64_t pts = 0;  // PTS, or DTS where the packet has no PTS
  int time_base_num = 0;
  int time_base_den = 1;
  int size = 0;
  bool corrupt = false;  // reported once per frame, on its first damaged piece
  // The rest of the previous packet's frame: libavformat's MPEG-TS demuxer
  // hands a PES packet larger than 200 KiB (a big keyframe) out in pieces,
  // which only a codec parser would join again.
  bool continuation = false;
};

using PacketSink = std::function<void(const DemuxedPacket&)>;

class PacketDemuxer {
 public:
  // Opens `source` with the demuxer `format_name` ("mpegts": a window of a
  // growing file has no reliable probe), or probes when nullptr. `what`
  // names the file in errors. The error says why it could not be opened.
  // `source` must outlive the demuxer.
  static Result<std::unique_ptr<PacketDemuxer>> Open(InputSource& source,
                                                     const char* format_name, std::string what);
  ~PacketDemuxer();
  PacketDemuxer(const PacketDemuxer&) = delete;
  PacketDemuxer& operator=(const PacketDemuxer&) = delete;

  struct Step {
    bool finished = false;  // end of input, or an error that ends it
    Status status;          // the error, naming the file
  };
  // Reads packets until the end, or until the source has taken
  // `max_file_bytes` more bytes from disk (0: no limit).
  Step Read(std::uint64_t max_file_bytes, const PacketSink& sink);
  std::uint64_t file_bytes_read() const { return source_->file_bytes_read(); }

 private:
  PacketDemuxer() = default;

  std::string what_;
  InputSource* source_ = nullptr;
  IoContextPtr io_;
  FormatContextPtr format_;  // after io_: closed before its AVIO is freed
  PacketPtr packet_;
  int video_index_ = -1;
  struct LastPes {
    std::int64_t pos = -1;   // where the stream's last PES packet began
    bool corrupt = false;    // and whether it was reported corrupt
  };
  std::vector<LastPes> last_pes_;  // per stream
};

// libavformat logs every damaged packet; a corrupt segment must not flood
// stderr, and the analyzer reports what it found through its counters.
void SilenceLibavLogging();

}  // namespace vms::media::internal
