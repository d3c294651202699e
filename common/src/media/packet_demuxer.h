#pragma once

// Internal to vms_media: demuxes (never decodes) a ByteSource and hands every
// video and audio packet to a callback.

#include <cstdint>
#include <functional>
#include <string>

#include "av_input.h"
#include "vms/base/status.h"

namespace vms::media::internal {

struct DemuxedPacket {
  bool video = false;  // the segment's (first) video stream; else audio
  bool has_pts = false;
  std::int64_t pts = 0;  // PTS, or DTS where the packet has no PTS
  int time_base_num = 0;
  int time_base_den = 1;
  int size = 0;
  bool corrupt = false;
};

struct DemuxOutcome {
  bool opened = false;  // false: the container could not be opened at all
  Status status;        // what went wrong, if anything, naming `what`
};

// `format_name` forces a demuxer ("mpegts": a window of a growing file has no
// reliable probe); nullptr probes. `what` names the file in errors.
DemuxOutcome DemuxPackets(ByteSource& source, const char* format_name, const std::string& what,
                          const std::function<void(const DemuxedPacket&)>& on_packet);

// libavformat logs every damaged packet; a corrupt segment must not flood
// stderr, and the analyzer reports what it found through its counters.
void SilenceLibavLogging();

}  // namespace vms::media::internal
