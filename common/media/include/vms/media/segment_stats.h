#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "vms/base/histogram_data.h"

namespace vms::media {

// Upper bounds of recording_segment_duration_seconds: short or flapping
// segments land in the low buckets, a recorder's normal segment length in one
// bucket near its configured length.
inline constexpr std::array<double, 12> kSegmentDurationBounds = {1,  2,   5,   10,  15,   30,
                                                                  60, 120, 300, 600, 1800, 3600};

// Recording truth for one camera, measured from its segments on disk. Counters
// only ever grow (a segment removed by retention does not take its frames
// back); they count what was analysed since the analyzer started. Published as
// an immutable snapshot after every analysis pass.
struct SegmentStats {
  // --- Counters ---------------------------------------------------------
  std::uint64_t frames_total = 0;               // video packets demuxed
  std::uint64_t media_bytes_total = 0;          // sum of video + audio packet sizes
  std::uint64_t frames_dropped_total = 0;       // missing frames from PTS gaps
  std::uint64_t corrupt_packets_total = 0;      // video/audio packets flagged corrupt
  std::uint64_t segments_total = 0;             // segments completed and readable
  std::uint64_t segments_unreadable_total = 0;  // zero-length, garbage, no video
  double gap_seconds_total = 0;                 // wall time missing between segments
  std::uint64_t bytes_read_total = 0;           // bytes read from disk by the analyzer

  // recording_segment_duration_seconds, per bucket (not cumulative).
  std::array<std::uint64_t, kSegmentDurationBounds.size()> duration_bucket_counts{};
  double duration_sum = 0;

  // --- Gauges -------------------------------------------------------------
  // Frames per second over the last analysed window; nullopt until known,
  // 0 once nothing is being recorded (no new frame and the newest segment
  // unmodified for close_after).
  std::optional<double> fps;
  // Expected frame interval the drop detection uses, in seconds.
  std::optional<double> frame_interval_seconds;
  std::uint64_t storage_bytes = 0;  // apparent size of the camera's segment files
  std::uint64_t segment_files = 0;  // segment files present now
  std::optional<double> oldest_segment_timestamp_seconds;  // wall start, Unix s
  std::optional<double> last_frame_timestamp_seconds;      // wall time, Unix s
  // mtime of the newest segment: recording freshness, even for containers
  // analysed only once closed.
  std::optional<double> newest_segment_modified_timestamp_seconds;

  // --- About the analysis itself -----------------------------------------
  std::uint64_t passes = 0;
  double last_pass_timestamp_seconds = 0;
  // True when the last pass stopped at its byte budget with work left.
  bool backlog = false;
  // The last thing that went wrong in the last pass (the directory or a
  // segment), naming the path; empty when nothing did.
  std::string last_error;

  // Spans into this struct: valid while the snapshot is held.
  HistogramData DurationHistogram() const {
    return HistogramData{kSegmentDurationBounds, duration_bucket_counts, segments_total,
                         duration_sum};
  }
};

}  // namespace vms::media
