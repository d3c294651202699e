#include "packet_demuxer.h"

#include <mutex>
#include <string_view>

extern "C" {
#include <libavutil/log.h>
}

namespace vms::media::internal {

void SilenceLibavLogging() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_level(AV_LOG_QUIET); });
}

DemuxOutcome DemuxPackets(ByteSource& source, const char* format_name, const std::string& what,
                          const std::function<void(const DemuxedPacket&)>& on_packet) {
  DemuxOutcome outcome;
  const AVInputFormat* format = nullptr;
  if (format_name != nullptr) {
    format = av_find_input_format(format_name);
    if (format == nullptr) {
      outcome.status =
          Status::Error("demuxing " + what + ": libavformat has no " + format_name + " demuxer");
      return outcome;
    }
  }
  auto io = source.OpenIo();
  if (!io.ok()) {
    outcome.status = Status::Error("demuxing " + what + ": " + io.error());
    return outcome;
  }
  PacketPtr packet(av_packet_alloc());
  AVFormatContext* raw = avformat_alloc_context();
  if (raw == nullptr || packet == nullptr) {
    avformat_free_context(raw);
    outcome.status = Status::Error("demuxing " + what + ": out of memory");
    return outcome;
  }
  raw->pb = io->get();
  if (format_name != nullptr && std::string_view(format_name) == "mpegts") {
    // A TS PES packet holds one access unit, so re-splitting the stream with
    // a codec parser only costs time: half the CPU of a live analysis.
    raw->flags |= AVFMT_FLAG_NOPARSE | AVFMT_FLAG_NOFILLIN;
  }
  // On failure avformat_open_input frees the context but not our AVIO.
  if (int rc = avformat_open_input(&raw, what.c_str(), format, nullptr); rc < 0) {
    outcome.status = Status::Error("opening " + what + " for demuxing: " + AvErrorText(rc));
    return outcome;
  }
  FormatContextPtr ctx(raw);
  outcome.opened = true;

  int video_index = -1;
  for (;;) {
    const int rc = av_read_frame(ctx.get(), packet.get());
    if (rc == AVERROR_EOF) break;
    if (rc < 0) {
      outcome.status = Status::Error("reading packets from " + what + ": " + AvErrorText(rc));
      break;
    }
    const AVStream* stream = ctx->streams[packet->stream_index];
    const AVMediaType type = stream->codecpar->codec_type;
    DemuxedPacket out;
    // Cover art in MP4/MKV is a video stream too, but not a recorded frame.
    const bool is_video = type == AVMEDIA_TYPE_VIDEO &&
                          !(stream->disposition & AV_DISPOSITION_ATTACHED_PIC) &&
                          (video_index < 0 || video_index == packet->stream_index);
    if (is_video || type == AVMEDIA_TYPE_AUDIO) {
      if (is_video) video_index = packet->stream_index;
      out.video = is_video;
      out.pts = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
      out.has_pts = out.pts != AV_NOPTS_VALUE;
      out.time_base_num = stream->time_base.num;
      out.time_base_den = stream->time_base.den;
      out.size = packet->size;
      out.corrupt = (packet->flags & AV_PKT_FLAG_CORRUPT) != 0;
      on_packet(out);
    }
    av_packet_unref(packet.get());
  }
  return outcome;
}

}  // namespace vms::media::internal
