#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "vms/hls/playlist.h"

namespace vms::hls {

// The kinds of hls_playlist_errors_total{kind}. Section numbers are RFC 8216's.
enum class PlaylistError {
  // EXT-X-MEDIA-SEQUENCE went down: 6.2.1 forbids it; in practice the
  // encoder restarted (or an older copy of the playlist was served).
  kMediaSequenceBackwards,
  // EXT-X-DISCONTINUITY-SEQUENCE does not match the EXT-X-DISCONTINUITY tags
  // of the segments that scrolled off: 6.2.2 requires it to grow by exactly
  // their number, so that the segments still listed keep their
  // Discontinuity Sequence Numbers (4.3.3.3).
  kDiscontinuityMiscount,
  // The window lost segments at its end (its last Media Sequence Number went
  // down without the sequence going backwards): 6.2.1 allows removing
  // segments only from the start, in order.
  kPlaylistShrank,
  // A new segment's EXTINF, rounded to the nearest integer, exceeds
  // EXT-X-TARGETDURATION, which 4.3.3.1 forbids; counted once per segment.
  kSegmentOverTarget,
  // No new segment for more than stale_factor (3) target durations; counted
  // once per stall. No RFC rule names this point; 3 is HOLD-BACK's default
  // (8216bis 4.4.3.8): a player that far behind the edge has run dry.
  kStale,
  // The text fetched did not parse (ParsePlaylist's error).
  kParse,
};
inline constexpr std::size_t kPlaylistErrorKinds = 6;
std::string_view PlaylistErrorName(PlaylistError kind);  // the label value

// Where a latency or age comes from, for the metric's source label.
enum class TimeSource {
  kNone,             // unknown
  kProgramDateTime,  // EXT-X-PROGRAM-DATE-TIME plus EXTINF (4.3.2.6): the encoder's clock
  kMtime,            // the newest segment file's modification time: the gateway's clock
  kFirstSeen,        // when this tracker first saw it (parts without PDT)
};
std::string_view TimeSourceName(TimeSource source);  // none, pdt, mtime, first_seen

// A new segment of a playlist: what the caller looks up (HEAD, stat) before
// Observe. `segment` points into the playlist given to NewSegments.
struct NewSegment {
  std::uint64_t sequence = 0;
  const Segment* segment = nullptr;
};

// What the caller learned about a new segment's resource.
struct SegmentFile {
  std::uint64_t sequence = 0;
  std::optional<std::uint64_t> size;  // bytes
  std::optional<double> mtime;        // Unix seconds
};

// What the metrics show, as of the last Observe* call.
struct HlsStreamState {
  bool has_playlist = false;  // a media playlist parsed at least once
  // stream_up: the last fetch parsed, the playlist is live (no ENDLIST) and fresh.
  bool up = false;
  bool fresh = false;  // a new segment within stale_factor target durations
  bool ended = false;  // EXT-X-ENDLIST (4.3.3.4): no segment will come
  // stream_latency_seconds: now minus the end of the newest segment. Negative
  // when the encoder's clock is ahead of ours (PDT source).
  std::optional<double> latency_seconds;
  TimeSource latency_source = TimeSource::kNone;
  // hls_playlist_age_seconds: since the newest segment's Media Sequence
  // Number last went above the highest seen (or the sequence restarted).
  std::optional<double> playlist_age_seconds;
  std::uint64_t target_duration = 0;  // hls_target_duration_seconds
  std::uint64_t media_sequence = 0;
  std::uint64_t discontinuity_sequence = 0;
  std::uint64_t encoded_bytes_total = 0;                    // stream_encoded_bytes_total
  std::uint64_t segments_total = 0;                         // new segments counted
  std::uint64_t segments_without_size_total = 0;            // counted, but no size was known
  std::array<std::uint64_t, kPlaylistErrorKinds> errors{};  // by PlaylistError
  // LL-HLS (8216bis 4.4.4.9): age of the newest EXT-X-PART.
  std::optional<double> newest_part_age_seconds;
  TimeSource part_age_source = TimeSource::kNone;

  std::uint64_t error(PlaylistError kind) const { return errors[static_cast<std::size_t>(kind)]; }
};

// Follows one media playlist (one camera's variant) across successive
// fetches. It does no I/O and reads no clock: the caller passes each fetch's
// parsed playlist and wall time, so it works the same for files and HTTP and
// tests are exact. Per poll:
//
//   auto fresh = tracker.NewSegments(playlist);   // stat/HEAD these
//   tracker.Observe(playlist, now, files);        // or ObserveParseError /
//   publish(tracker.state());                     //    ObserveFetchFailure
//
// Counting: a segment's bytes are counted once. Segments with a Media
// Sequence Number above the highest counted are new (so a sliding window
// counts each once); when the sequence goes backwards every listed segment
// is a candidate again, and a candidate is skipped when it matches one of the
// last kRemembered counted segments by URI, duration, PDT, size and mtime
// (an older copy of the playlist served again). A restarted encoder's
// segments differ in PDT or mtime and are counted; one with neither, reusing
// names, durations and sizes exactly, would be taken for a replay. The first
// playlist's segments are counted too (Prometheus' rate() ignores a
// counter's first value).
class HlsStreamTracker {
 public:
  static constexpr std::size_t kRemembered = 64;

  explicit HlsStreamTracker(double stale_factor = 3.0) : stale_factor_(stale_factor) {}

  std::vector<NewSegment> NewSegments(const MediaPlaylist& playlist) const;

  // A fetch at `now` that parsed. `files` has what is known of new segments
  // (any order; entries for other sequences are ignored).
  void Observe(const MediaPlaylist& playlist, double now, const std::vector<SegmentFile>& files);
  void ObserveParseError(double now);
  // The fetch itself failed (its error is the fetcher's to report): not up.
  void ObserveFetchFailure(double now);

  const HlsStreamState& state() const { return state_; }

 private:
  // What identifies a counted segment when the sequence cannot (after it
  // went backwards): a hash of URI, EXTINF and PDT, and the size and mtime
  // when known. Unknown on either side matches, so a segment deleted since
  // (its size no longer known) is still recognised.
  struct Counted {
    std::uint64_t key = 0;
    std::optional<std::uint64_t> size;
    std::optional<double> mtime;
  };

  std::uint64_t FirstNewSequence(const MediaPlaylist& playlist) const;
  void CheckContinuity(const MediaPlaylist& playlist);
  void CountNewSegments(const MediaPlaylist& playlist, std::uint64_t first_new,
                        const std::vector<SegmentFile>& files);
  void UpdateLiveEdge(const MediaPlaylist& playlist, double now);
  void UpdateParts(const MediaPlaylist& playlist, double now);
  void UpdateAges(double now);
  void Count(PlaylistError kind) { ++state_.errors[static_cast<std::size_t>(kind)]; }
  bool Remembered(const Counted& segment) const;
  void Remember(const Counted& segment);

  double stale_factor_;
  HlsStreamState state_;
  bool last_fetch_ok_ = false;

  // The previous playlist, for the continuity rules.
  bool have_previous_ = false;
  std::uint64_t previous_media_sequence_ = 0;
  std::uint64_t previous_first_listed_ = 0;  // differs from the above after EXT-X-SKIP
  std::uint64_t previous_end_ = 0;
  std::uint64_t previous_discontinuity_sequence_ = 0;
  std::vector<std::uint64_t> previous_discontinuities_;  // sequence numbers
  bool restarted_ = false;  // this Observe's media sequence went backwards

  std::uint64_t next_sequence_ = 0;  // the lowest not yet counted
  std::array<Counted, kRemembered> remembered_{};
  std::size_t remembered_count_ = 0;
  std::size_t remembered_next_ = 0;

  std::optional<double> last_advance_;  // when the newest sequence number last went up
  std::uint64_t newest_sequence_ = 0;
  std::optional<double> newest_mtime_;  // of the newest segment's file, when counted
  std::uint64_t newest_mtime_sequence_ = 0;
  std::optional<double> live_edge_;  // end of the newest segment, Unix seconds
  std::optional<double> part_edge_;  // end of the newest part, or when it was first seen
  std::uint64_t newest_part_key_ = 0;
  double newest_part_seen_ = 0;
};

}  // namespace vms::hls
