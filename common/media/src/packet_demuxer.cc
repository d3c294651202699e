#include "packet_demuxer.h"

#include <mutex>
#include <string_view>

extern "C" {
#include <libavutil/log.h>
}

namespace vms::media::internal {
namespace {

// Enough TS packets to find the PAT and PMT at the start of a window.
constexpr std::int64_t kTsProbeBytes = 64 * 188;

}  // namespace

void SilenceLibavLogging() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_level(AV_LOG_QUIET); });
}

Result<std::unique_ptr<PacketDemuxer>> PacketDemuxer::Open(InputSource& source,
                                                           const char* format_name,
                                                           std::string what) {
  const AVInputFormat* format = nullptr;
  if (format_name != nullptr) {
    format = av_find_input_format(format_name);
    if (format == nullptr) {
      return Status::Error("demuxing " + what + ": libavformat has no " + format_name + " demuxer");
    }
  }
  std::unique_ptr<PacketDemuxer> demuxer(new PacketDemuxer());
  demuxer->what_ = std::move(what);
  demuxer->source_ = &source;
  auto io = demuxer->source_->OpenIo();
  if (!io.ok()) return Status::Error("demuxing " + demuxer->what_ + ": " + io.error());
  demuxer->io_ = std::move(*io);
  demuxer->packet_.reset(av_packet_alloc());
  AVFormatContext* raw = avformat_alloc_context();
  if (raw == nullptr || demuxer->packet_ == nullptr) {
    avformat_free_context(raw);
    return Status::Error("demuxing " + demuxer->what_ + ": out of memory");
  }
  raw->pb = demuxer->io_.get();
  if (format_name != nullptr && std::string_view(format_name) == "mpegts") {
    // A TS PES packet holds one access unit, so re-splitting the stream with
    // a codec parser only costs time: half the CPU of a live analysis.
    raw->flags |= AVFMT_FLAG_NOPARSE | AVFMT_FLAG_NOFILLIN;
    // The PAT and PMT come first (the file's start, or replayed in front of
    // a resumed window). With the default 5 MB probe size the demuxer would
    // allocate a 5 MB seek-back buffer and copy the whole window into it.
    raw->probesize = kTsProbeBytes;
  }
  // On failure avformat_open_input frees the context but not our AVIO.
  if (int rc = avformat_open_input(&raw, demuxer->what_.c_str(), format, nullptr); rc < 0) {
    return Status::Error("opening " + demuxer->what_ + " for demuxing: " + AvErrorText(rc));
  }
  demuxer->format_.reset(raw);
  return demuxer;
}

PacketDemuxer::~PacketDemuxer() = default;

PacketDemuxer::Step PacketDemuxer::Read(std::uint64_t max_file_bytes, const PacketSink& sink) {
  Step step;
  const std::uint64_t start = source_->file_bytes_read();
  while (max_file_bytes == 0 || source_->file_bytes_read() - start < max_file_bytes) {
    const int rc = av_read_frame(format_.get(), packet_.get());
    if (rc == AVERROR_EOF) {
      step.finished = true;
      return step;
    }
    if (rc < 0) {
      step.finished = true;
      step.status = Status::Error("reading packets from " + what_ + ": " + AvErrorText(rc));
      return step;
    }
    const AVStream* stream = format_->streams[packet_->stream_index];
    const AVMediaType type = stream->codecpar->codec_type;
    // Cover art in MP4/MKV is a video stream too, but not a recorded frame.
    const bool is_video = type == AVMEDIA_TYPE_VIDEO &&
                          !(stream->disposition & AV_DISPOSITION_ATTACHED_PIC) &&
                          (video_index_ < 0 || video_index_ == packet_->stream_index);
    if (is_video || type == AVMEDIA_TYPE_AUDIO) {
      if (is_video) video_index_ = packet_->stream_index;
      DemuxedPacket out;
      out.video = is_video;
      out.stream_id = stream->id;
      out.pts = packet_->pts != AV_NOPTS_VALUE ? packet_->pts : packet_->dts;
      out.has_pts = out.pts != AV_NOPTS_VALUE;
      out.time_base_num = stream->time_base.num;
      out.time_base_den = stream->time_base.den;
      out.size = packet_->size;
      out.corrupt = (packet_->flags & AV_PKT_FLAG_CORRUPT) != 0;
      // The pieces of one PES packet share its position; only the first has
      // timestamps. Other streams' packets may come in between.
      const auto index = static_cast<std::size_t>(packet_->stream_index);
      if (last_pes_.size() <= index) last_pes_.resize(index + 1);
      LastPes& last = last_pes_[index];
      out.continuation = packet_->pos >= 0 && packet_->pos == last.pos && !out.has_pts;
      if (!out.continuation) last = {packet_->pos, false};
      out.corrupt = out.corrupt && !last.corrupt;
      last.corrupt = last.corrupt || out.corrupt;
      sink(out);
    }
    av_packet_unref(packet_.get());
  }
  return step;
}

}  // namespace vms::media::internal
