#include "vms/media/segment_analyzer.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "packet_demuxer.h"
#include "segment_catalog.h"
#include "segment_directory.h"
#include "vms/media/frame_timing.h"
#include "vms/media/segment_name_time.h"
#include "vms/media/ts_packet_scanner.h"

namespace vms::media {
namespace {

using internal::DemuxedPacket;
using internal::SegmentFile;

double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

bool EndsWith(const std::string& s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[s.size() - suffix.size() + i])) != suffix[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

struct SegmentAnalyzer::FileState {
  dev_t device = 0;
  ino_t inode = 0;
  bool is_ts = false;
  bool done = false;         // completed or unreadable
  std::uint64_t offset = 0;  // TS: next byte to read from disk
  std::string tail;          // TS: the start of a packet still being written (< 188 bytes)
  std::vector<int> pes_pids;  // TS: PIDs of the streams counted
  TsProgramTables tables;
  bool demuxed_before = false;
  std::optional<FrameTiming> timing;
  int tb_num = 0;
  int tb_den = 1;
  std::uint64_t frames = 0;
  std::optional<std::int64_t> min_pts;
  std::optional<std::int64_t> max_pts;
  std::uint64_t dropped_reported = 0;
  std::optional<double> name_time;
  std::optional<double> wall_start;  // once completed
  // MKV/MP4: the demuxer of a segment too long for one pass, and what it
  // reads (declared first: destroyed after the demuxer).
  std::unique_ptr<internal::ByteSource> source;
  std::unique_ptr<internal::PacketDemuxer> demuxer;

  double Seconds(double ticks) const {
    return tb_den != 0 ? ticks * tb_num / static_cast<double>(tb_den) : 0;
  }
  double IntervalTicks() const { return timing ? timing->interval().value_or(0) : 0; }
  // Presentation time from the first frame to the newest, including frames
  // still in the reorder buffer.
  double SpanSeconds() const {
    if (!timing) return 0;
    double ticks = static_cast<double>(timing->span_ticks());
    if (timing->last_pts() && max_pts && *max_pts > *timing->last_pts()) {
      ticks += static_cast<double>(*max_pts - *timing->last_pts());
    }
    return Seconds(ticks);
  }
  double DurationSeconds() const { return timing ? SpanSeconds() + Seconds(IntervalTicks()) : 0; }
};

struct SegmentAnalyzer::Previous {
  double wall_end = 0;
  int tb_num = 0;
  int tb_den = 1;
  double end_pts = 0;  // last PTS + one interval
};

SegmentAnalyzer::SegmentAnalyzer(SegmentAnalyzerOptions options)
    : options_(std::move(options)),
      catalog_(std::make_unique<internal::SegmentCatalog>(options_.directory, options_.file_glob,
                                                          options_.extensions)) {
  internal::SilenceLibavLogging();
}

SegmentAnalyzer::~SegmentAnalyzer() = default;

const SegmentStats& SegmentAnalyzer::Pass() {
  const double now = NowSeconds();
  ++stats_.passes;
  stats_.last_pass_timestamp_seconds = now;
  stats_.backlog = false;
  stats_.last_error.clear();
  if (Status s = catalog_->Refresh(now, options_.backlog_segments); !s.ok()) {
    stats_.last_error = s.message();
    return stats_;
  }
  const std::vector<SegmentFile>& segments = catalog_->tail();

  // Forget what is gone; counters keep what it contributed.
  std::erase_if(files_, [&](const auto& entry) {
    return std::none_of(segments.begin(), segments.end(),
                        [&](const SegmentFile& f) { return f.name == entry.first; });
  });
  for (const SegmentFile& f : segments) {
    auto& state = files_[f.name];
    // Same name, new file (the recorder reused it): start over.
    if (state && (state->inode != f.inode || state->device != f.device || f.size < state->offset)) {
      state.reset();
    }
    if (state) continue;
    state = std::make_unique<FileState>();
    state->device = f.device;
    state->inode = f.inode;
    state->is_ts = EndsWith(f.name, ".ts");
    state->name_time = ParseSegmentNameTime(f.name, options_.name_time_utc);
  }

  std::string init;  // fMP4 init segment, read once per pass when needed
  bool init_loaded = false;
  const double close_after = static_cast<double>(options_.close_after.count());
  const std::uint64_t frames_before = stats_.frames_total;
  std::uint64_t budget = options_.max_bytes_per_pass;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const SegmentFile& f = segments[i];
    FileState& state = *files_[f.name];
    if (state.done) continue;
    if (budget == 0) {
      stats_.backlog = true;
      break;
    }
    const bool closed = i + 1 < segments.size() || now - f.mtime >= close_after;
    if (state.is_ts) {
      AnalyzeTs(f, state, closed, &budget);
    } else if (closed) {
      const auto& newest_init = catalog_->newest_init_segment();
      if (EndsWith(f.name, ".m4s") && !init_loaded && newest_init) {
        auto n = internal::ReadFileRange(newest_init->path, 0, newest_init->size, &init);
        if (n.ok()) stats_.bytes_read_total += *n;
        init_loaded = true;
      }
      AnalyzeWhole(f, state, init, &budget);
    }
  }

  // The oldest segment's start is only known while it is being analysed;
  // once finished, its name or its mtime minus a typical segment length.
  if (const auto& oldest = catalog_->oldest()) {
    auto it = files_.find(oldest->name);
    const double typical = stats_.segments_total > 0
                               ? stats_.duration_sum / static_cast<double>(stats_.segments_total)
                               : 0.0;
    const auto name_time = ParseSegmentNameTime(oldest->name, options_.name_time_utc);
    if (name_time) {
      stats_.oldest_segment_timestamp_seconds = *name_time;
    } else if (it != files_.end() && it->second->wall_start) {
      stats_.oldest_segment_timestamp_seconds = *it->second->wall_start;
      oldest_start_ = {oldest->name, *it->second->wall_start};
    } else if (oldest_start_.first == oldest->name) {
      stats_.oldest_segment_timestamp_seconds = oldest_start_.second;
    } else {
      stats_.oldest_segment_timestamp_seconds = oldest->mtime - typical;
    }
  } else {
    stats_.oldest_segment_timestamp_seconds.reset();
  }
  catalog_->RetireFinished([&](const SegmentFile& f) {
    auto it = files_.find(f.name);
    if (it == files_.end() || !it->second->done) return false;
    files_.erase(it);
    return true;
  });
  stats_.storage_bytes = catalog_->storage_bytes();
  stats_.segment_files = catalog_->segment_files();
  stats_.newest_segment_modified_timestamp_seconds = catalog_->newest_mtime();
  const bool recording = stats_.newest_segment_modified_timestamp_seconds &&
                         now - *stats_.newest_segment_modified_timestamp_seconds < close_after;
  if (stats_.frames_total == frames_before && !recording && stats_.fps) stats_.fps = 0.0;
  return stats_;
}

void SegmentAnalyzer::AnalyzeTs(const SegmentFile& file, FileState& state, bool closed,
                                std::uint64_t* budget) {
  const std::uint64_t available = file.size > state.offset ? file.size - state.offset : 0;
  const std::uint64_t want = std::min(available, *budget);
  const bool final = closed && want == available;
  if (!final && want == 0) return;
  if (!final && want < available) stats_.backlog = true;
  internal::UniqueFd fd;
  if (want > 0) {
    fd = internal::OpenForReading(file.path);
    if (fd.get() < 0) {
      stats_.last_error = "opening segment " + file.path + ": " + std::strerror(errno);
      if (closed) Complete(file, state);  // vanished or unreadable: do not retry forever
      return;
    }
  }
  const std::uint64_t first_byte = state.offset - state.tail.size();
  // The scanner counts the rest of the PES packets the last pass's demuxer
  // flushed in part, and learns the PAT/PMT from the file's start.
  TsWindowScanner scanner(state.pes_pids, &state.tables);
  // A demuxer resumed mid-file knows no streams until the next PAT/PMT.
  internal::GrowingTsSource source(state.demuxed_before ? state.tables.Prefix() : std::string(),
                                   std::move(state.tail), std::move(fd), state.offset,
                                   state.offset + want, final, &scanner);
  if (!source.empty()) {
    if (state.timing) state.timing->ResetWindow();
    auto demuxer = internal::PacketDemuxer::Open(
        source, "mpegts", file.path + " from byte " + std::to_string(first_byte));
    if (!demuxer.ok()) {
      stats_.last_error = demuxer.error();
    } else if (auto step = (*demuxer)->Read(0,
                                            [&](DemuxedPacket p) {
                                              // What the demuxer hands out after its
                                              // input ended is a PES packet cut short
                                              // by the window, not by damage.
                                              if (source.exhausted() && !final) {
                                                p.corrupt = false;
                                              }
                                              OnPacket(state, p);
                                            });
               !step.status.ok()) {
      stats_.last_error = step.status.message();
    }
    state.demuxed_before = true;
    stats_.media_bytes_total += scanner.continuation_bytes();
  }
  state.tail = source.TakeTail();
  const std::uint64_t read = source.file_bytes_read();
  state.offset = source.file_end();
  *budget -= std::min(*budget, read);
  stats_.bytes_read_total += read;
  if (!source.error().empty()) {
    stats_.last_error = "reading segment " + file.path + ": " + source.error();
  }
  if (!source.empty()) AfterDemux(file, state);
  if (final) Complete(file, state);
}

void SegmentAnalyzer::AnalyzeWhole(const SegmentFile& file, FileState& state,
                                   const std::string& init, std::uint64_t* budget) {
  if (!state.demuxer) {
    internal::UniqueFd fd = internal::OpenForReading(file.path);
    if (file.size == 0 || fd.get() < 0) {
      if (file.size > 0) {
        stats_.last_error = "opening segment " + file.path + ": " + std::strerror(errno);
      }
      Complete(file, state);
      return;
    }
    const bool fragment = EndsWith(file.name, ".m4s");
    state.source = std::make_unique<internal::ByteSource>(fragment ? init : std::string(),
                                                          std::move(fd), 0, file.size);
    auto demuxer = internal::PacketDemuxer::Open(*state.source, nullptr, file.path);
    if (!demuxer.ok()) {
      stats_.last_error = demuxer.error();
      state.source.reset();
      Complete(file, state);
      return;
    }
    state.demuxer = std::move(*demuxer);
    if (state.timing) state.timing->ResetWindow();
  }
  // A long segment is demuxed over several passes; the open demuxer keeps
  // its place in the (closed, unchanging) file in between.
  const std::uint64_t before = state.demuxer->file_bytes_read();
  const auto step =
      state.demuxer->Read(*budget, [&](const DemuxedPacket& p) { OnPacket(state, p); });
  const std::uint64_t read = state.demuxer->file_bytes_read() - before;
  stats_.bytes_read_total += read;
  *budget -= std::min(*budget, read);
  if (!step.status.ok()) stats_.last_error = step.status.message();
  if (!step.finished) {
    stats_.backlog = true;
    return;
  }
  state.demuxer.reset();
  state.source.reset();
  Complete(file, state);
}

void SegmentAnalyzer::OnPacket(FileState& state, const DemuxedPacket& packet) {
  stats_.media_bytes_total += static_cast<std::uint64_t>(std::max(packet.size, 0));
  if (packet.corrupt) ++stats_.corrupt_packets_total;
  if (state.is_ts && std::find(state.pes_pids.begin(), state.pes_pids.end(), packet.stream_id) ==
                         state.pes_pids.end()) {
    state.pes_pids.push_back(packet.stream_id);
  }
  if (!packet.video || packet.continuation) return;  // a frame in pieces is one frame
  ++stats_.frames_total;
  ++state.frames;
  if (!packet.has_pts || packet.time_base_num <= 0 || packet.time_base_den <= 0) return;
  if (!state.timing) {
    state.tb_num = packet.time_base_num;
    state.tb_den = packet.time_base_den;
    const double ticks_per_second = static_cast<double>(state.tb_den) / state.tb_num;
    state.timing.emplace(
        static_cast<std::int64_t>(options_.max_frame_gap_seconds * ticks_per_second));
  }
  state.timing->Add(packet.pts);
  state.min_pts = std::min(state.min_pts.value_or(packet.pts), packet.pts);
  state.max_pts = std::max(state.max_pts.value_or(packet.pts), packet.pts);
}

void SegmentAnalyzer::AfterDemux(const SegmentFile& file, FileState& state) {
  if (!state.timing) return;
  const FrameTiming& timing = *state.timing;
  stats_.frames_dropped_total += timing.dropped() - state.dropped_reported;
  state.dropped_reported = timing.dropped();
  if (timing.interval()) {
    stats_.frame_interval_seconds = state.Seconds(*timing.interval());
    if (timing.window_frames() >= 2) {
      const double span =
          state.Seconds(static_cast<double>(timing.window_span_ticks()) + *timing.interval());
      if (span > 0) stats_.fps = static_cast<double>(timing.window_frames()) / span;
    }
  }
  if (state.min_pts) {
    const double last_frame = WallStart(file, state) + state.SpanSeconds();
    stats_.last_frame_timestamp_seconds =
        std::max(stats_.last_frame_timestamp_seconds.value_or(last_frame), last_frame);
  }
}

void SegmentAnalyzer::Complete(const SegmentFile& file, FileState& state) {
  state.done = true;
  if (state.timing) {
    state.timing->Flush();
    AfterDemux(file, state);
  }
  state.tail.clear();
  if (state.frames == 0 || !state.min_pts) {
    ++stats_.segments_unreadable_total;
    state.timing.reset();
    return;
  }
  const double duration = state.DurationSeconds();
  const double start = WallStart(file, state);
  state.wall_start = start;
  ++stats_.segments_total;
  stats_.duration_sum += duration;
  const auto bucket =
      std::lower_bound(kSegmentDurationBounds.begin(), kSegmentDurationBounds.end(), duration);
  if (bucket != kSegmentDurationBounds.end()) {
    ++stats_.duration_bucket_counts[static_cast<std::size_t>(bucket -
                                                             kSegmentDurationBounds.begin())];
  }
  if (previous_) {
    const double gap = start - previous_->wall_end;
    if (gap > options_.gap_tolerance_seconds) stats_.gap_seconds_total += gap;
  } else {
    previous_ = std::make_unique<Previous>();
  }
  previous_->wall_end = start + duration;
  previous_->tb_num = state.tb_num;
  previous_->tb_den = state.tb_den;
  previous_->end_pts = static_cast<double>(state.timing->last_pts().value_or(*state.min_pts)) +
                       state.IntervalTicks();
  state.timing.reset();
}

double SegmentAnalyzer::WallStart(const SegmentFile& file, const FileState& state) const {
  if (state.wall_start) return *state.wall_start;
  if (state.name_time) return *state.name_time;
  if (previous_ && state.min_pts && previous_->tb_num == state.tb_num &&
      previous_->tb_den == state.tb_den) {
    // The recorder kept one timeline across segments (ffmpeg's segment muxer
    // does by default): the PTS distance is the wall-clock distance.
    const double ahead = state.Seconds(static_cast<double>(*state.min_pts) - previous_->end_pts);
    const double slack = state.Seconds(state.IntervalTicks());
    if (ahead >= -slack && ahead <= options_.max_frame_gap_seconds) {
      return previous_->wall_end + std::max(0.0, ahead);
    }
  }
  return file.mtime - state.DurationSeconds();
}

}  // namespace vms::media
