#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vms/media/segment_stats.h"

namespace vms::media {

namespace internal {
class SegmentCatalog;
struct SegmentFile;
struct DemuxedPacket;
}  // namespace internal

struct SegmentAnalyzerOptions {
  std::string directory;        // the camera's recording directory (not recursive)
  std::string file_glob = "*";  // fnmatch(3) on the file name, to share a directory
  std::vector<std::string> extensions = {".ts", ".mkv", ".mp4", ".m4s"};
  // The newest segment counts as closed once unmodified this long; any
  // segment counts as closed once a newer one exists.
  std::chrono::seconds close_after{30};
  // Bytes read from disk per pass at most (give or take one 64 KiB read): a
  // long MKV/MP4 segment is demuxed over several passes.
  std::uint64_t max_bytes_per_pass = 16u << 20;
  // On the first pass only the newest N segments are analysed; older ones
  // count for storage and retention depth but not for the counters, so
  // starting the exporter on a full disk does not read days of footage.
  std::size_t backlog_segments = 1;
  bool name_time_utc = false;  // file-name timestamps are UTC, else local time
  // Holes between segments shorter than this are timestamp rounding (names
  // carry whole seconds), not lost footage.
  double gap_tolerance_seconds = 1.0;
  // A PTS jump larger than this inside a segment is a timeline reset, not
  // missing frames.
  double max_frame_gap_seconds = 60;

  bool operator==(const SegmentAnalyzerOptions&) const = default;
};

// Measures recording truth for one camera from the segments in its directory
// by demuxing them with libavformat (never decoding). Not thread-safe: one
// SegmentAnalysisWorker thread calls Pass(); others read the published
// snapshot.
//
// Rules:
//  - segments: regular files directly in the directory matching the glob
//    and extensions, in recording order (mtime, then name). A segment is
//    closed once a newer one exists or it is unmodified for close_after.
//    fMP4 media segments (.m4s) are read behind the newest file whose name
//    contains "init" (ffmpeg's hls/dash muxers), which is not a segment.
//  - frames: packets of the first video stream; media bytes: sizes of all
//    video and audio packets (container overhead excluded), as
//    `ffprobe -show_packets` reports them. MPEG-TS is demuxed without codec
//    parsers: one PES packet is one frame, as muxers write video (the
//    pieces libavformat cuts a PES packet over 200 KiB into, a large
//    keyframe, are joined again).
//  - dropped frames: a PTS delta of k frame intervals inside a segment is
//    k - 1 missing frames; the interval is calibrated from the stream's own
//    deltas (median, refined), not from container metadata. Frames missing
//    before a segment's first or after its last frame are gap time instead.
//  - corrupt: video/audio packets the demuxer flags AV_PKT_FLAG_CORRUPT
//    (e.g. a TS continuity-counter gap inside a PES).
//  - fps: frames / (PTS span + one interval) over the frames the last pass
//    analysed of the newest segment with at least two of them; 0 once a
//    pass finds no new frame and the newest segment is older than
//    close_after.
//  - segment duration: PTS span of its video + one interval.
//  - a segment's wall-clock start: the timestamp in its file name if any
//    (see ParseSegmentNameTime), else the end of the previous segment plus
//    the PTS distance when its timestamps continue the previous segment's
//    (same time base, 0..max_frame_gap_seconds ahead), else mtime minus
//    its duration (mtime being the time of its last write).
//  - gap: start of a completed segment minus the end of the previous
//    completed one, when above gap_tolerance_seconds. Unreadable segments in
//    between do not count as footage, so their time is a gap too.
//  - last frame time: the segment's wall-clock start + PTS distance from its
//    first frame to its newest.
//  - oldest segment time: the oldest file's name timestamp, else its
//    measured start, else its mtime minus the mean segment duration.
//  - storage: apparent size (st_size) of the segment and init files.
//  - MPEG-TS is demuxed incrementally: every byte is read from disk once,
//    straight into the demuxer's buffer. A pass hands a fresh demuxer (behind
//    the file's PAT/PMT) the whole TS packets written since the last pass; a
//    frame still being written is counted when it begins (the demuxer
//    flushes its first part at the end of the window), and the rest of it,
//    which the next pass's demuxer skips, is added to its bytes by scanning
//    the TS packet headers. Only a packet's worth (< 188 bytes) is kept
//    between passes. Other containers are analysed once closed, by one
//    demuxer that may span several passes.
//  - unreadable: a closed segment with no video packet (zero-length,
//    garbage, truncated MP4 without an index, ...).
//  - finished segments are folded into totals and not read again (the
//    last few finished are remembered by inode, so one written to again
//    after a pause is not counted twice); a file that shows up with an
//    mtime older than an already finished segment counts as finished too.
//    The directory is listed again only when its mtime changes (and every
//    60 passes); otherwise only the unfinished segments are stat()ed.
class SegmentAnalyzer {
 public:
  explicit SegmentAnalyzer(SegmentAnalyzerOptions options);
  ~SegmentAnalyzer();
  SegmentAnalyzer(const SegmentAnalyzer&) = delete;
  SegmentAnalyzer& operator=(const SegmentAnalyzer&) = delete;

  // One bounded pass over the directory. Never throws; a directory that
  // cannot be read leaves the counters alone and sets last_error.
  const SegmentStats& Pass();
  const SegmentStats& stats() const { return stats_; }
  const SegmentAnalyzerOptions& options() const { return options_; }

 private:
  struct FileState;
  struct Previous;

  void AnalyzeTs(const internal::SegmentFile& file, FileState& state, bool closed,
                 std::uint64_t* budget);
  void AnalyzeWhole(const internal::SegmentFile& file, FileState& state, const std::string& init,
                    std::uint64_t* budget);
  void OnPacket(FileState& state, const internal::DemuxedPacket& packet);
  void AfterDemux(const internal::SegmentFile& file, FileState& state);
  void Complete(const internal::SegmentFile& file, FileState& state);
  double WallStart(const internal::SegmentFile& file, const FileState& state) const;

  SegmentAnalyzerOptions options_;
  SegmentStats stats_;
  std::unique_ptr<internal::SegmentCatalog> catalog_;
  // The unfinished segments' state, by file name.
  std::map<std::string, std::unique_ptr<FileState>> files_;
  // The measured start of the oldest segment, kept after it is finished.
  std::pair<std::string, double> oldest_start_;
  std::unique_ptr<Previous> previous_;  // last completed readable segment
};

}  // namespace vms::media
