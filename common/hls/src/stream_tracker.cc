#include "vms/hls/stream_tracker.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace vms::hls {
namespace {

// FNV-1a: a stable, allocation-free hash for the counted-segment memory.
class Hasher {
 public:
  Hasher& Add(const void* data, std::size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) {
      hash_ = (hash_ ^ bytes[i]) * 0x100000001b3ULL;
    }
    return *this;
  }
  Hasher& Add(std::string_view s) {
    Add(s.data(), s.size());
    return Add(s.size());
  }
  template <typename T>
  Hasher& Add(const T& value) {
    static_assert(std::is_arithmetic_v<T>);
    return Add(&value, sizeof(value));
  }
  Hasher& Add(const std::optional<double>& value) {
    return value ? Add(true).Add(*value) : Add(false);
  }
  Hasher& Add(const std::optional<ByteRange>& range) {
    return range ? Add(range->length).Add(range->offset.value_or(~0ULL)) : Add(false);
  }
  std::uint64_t hash() const { return hash_; }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

template <typename T>
bool SameOrUnknown(const std::optional<T>& a, const std::optional<T>& b) {
  return !a || !b || *a == *b;
}

}  // namespace

std::string_view PlaylistErrorName(PlaylistError kind) {
  switch (kind) {
    case PlaylistError::kMediaSequenceBackwards:
      return "media_sequence_backwards";
    case PlaylistError::kDiscontinuityMiscount:
      return "discontinuity_miscount";
    case PlaylistError::kPlaylistShrank:
      return "playlist_shrank";
    case PlaylistError::kSegmentOverTarget:
      return "segment_over_target";
    case PlaylistError::kStale:
      return "stale";
    case PlaylistError::kParse:
      return "parse";
  }
  return "unknown";
}

std::string_view TimeSourceName(TimeSource source) {
  switch (source) {
    case TimeSource::kNone:
      return "none";
    case TimeSource::kProgramDateTime:
      return "pdt";
    case TimeSource::kMtime:
      return "mtime";
    case TimeSource::kFirstSeen:
      return "first_seen";
  }
  return "none";
}

std::uint64_t HlsStreamTracker::FirstNewSequence(const MediaPlaylist& playlist) const {
  // After the sequence broke, every listed segment is a candidate: the
  // counted-segment memory tells replays from new ones.
  if (have_previous_ && (playlist.media_sequence < previous_media_sequence_ ||
                         playlist.EndSequence() < previous_end_)) {
    return 0;
  }
  return next_sequence_;
}

std::vector<NewSegment> HlsStreamTracker::NewSegments(const MediaPlaylist& playlist) const {
  std::vector<NewSegment> out;
  const std::uint64_t first = FirstNewSequence(playlist);
  for (std::size_t i = 0; i < playlist.segments.size(); ++i) {
    if (playlist.SequenceOf(i) >= first)
      out.push_back({playlist.SequenceOf(i), &playlist.segments[i]});
  }
  return out;
}

void HlsStreamTracker::CheckContinuity(const MediaPlaylist& playlist) {
  restarted_ = false;
  if (!have_previous_) return;
  if (playlist.media_sequence < previous_media_sequence_) {
    // 6.2.1: the sequence never goes down. The rules below compare two
    // timelines that are no longer the same, so they are skipped.
    Count(PlaylistError::kMediaSequenceBackwards);
    restarted_ = true;
    return;
  }
  if (playlist.EndSequence() < previous_end_) {
    // 6.2.1: segments leave from the start only. Not a restart: the newest
    // segment seen so far stays the live edge's reference, so a playlist
    // read half-written does not look like progress.
    Count(PlaylistError::kPlaylistShrank);
  }
  // 6.2.2: each EXT-X-DISCONTINUITY that scrolled off adds one to
  // EXT-X-DISCONTINUITY-SEQUENCE. Exact when this tracker saw every segment
  // that left; a lower bound when some left unseen (a slide past the whole
  // previous window, or segments a delta update skipped).
  const std::uint64_t removed = static_cast<std::uint64_t>(
      std::count_if(previous_discontinuities_.begin(), previous_discontinuities_.end(),
                    [&](std::uint64_t sequence) { return sequence < playlist.media_sequence; }));
  const std::uint64_t expected = previous_discontinuity_sequence_ + removed;
  const bool saw_all_removed = playlist.media_sequence <= previous_end_ &&
                               (previous_first_listed_ == previous_media_sequence_ ||
                                playlist.media_sequence <= previous_media_sequence_);
  if (saw_all_removed ? playlist.discontinuity_sequence != expected
                      : playlist.discontinuity_sequence < expected) {
    Count(PlaylistError::kDiscontinuityMiscount);
  }
}

bool HlsStreamTracker::Remembered(const Counted& segment) const {
  for (std::size_t i = 0; i < remembered_count_; ++i) {
    const Counted& c = remembered_[i];
    if (c.key == segment.key && SameOrUnknown(c.size, segment.size) &&
        SameOrUnknown(c.mtime, segment.mtime)) {
      return true;
    }
  }
  return false;
}

void HlsStreamTracker::Remember(const Counted& segment) {
  remembered_[remembered_next_] = segment;
  remembered_next_ = (remembered_next_ + 1) % kRemembered;
  remembered_count_ = std::min(remembered_count_ + 1, kRemembered);
}

void HlsStreamTracker::CountNewSegments(const MediaPlaylist& playlist, std::uint64_t first_new,
                                        const std::vector<SegmentFile>& files) {
  for (std::size_t i = 0; i < playlist.segments.size(); ++i) {
    const std::uint64_t sequence = playlist.SequenceOf(i);
    if (sequence < first_new) continue;
    const Segment& segment = playlist.segments[i];
    const auto file = std::find_if(files.begin(), files.end(),
                                   [&](const SegmentFile& f) { return f.sequence == sequence; });
    Counted counted;
    counted.key = Hasher()
                      .Add(std::string_view(segment.uri))
                      .Add(segment.duration)
                      .Add(segment.program_date_time)
                      .Add(segment.byte_range)
                      .hash();
    if (file != files.end()) {
      counted.size = file->size;
      counted.mtime = file->mtime;
    }
    if (Remembered(counted)) continue;
    Remember(counted);
    ++state_.segments_total;
    if (counted.size) {
      state_.encoded_bytes_total += *counted.size;
    } else {
      ++state_.segments_without_size_total;
    }
    // 4.3.3.1: EXTINF rounded to the nearest integer <= EXT-X-TARGETDURATION.
    // Compared as doubles: llround of a hostile 1e60 s EXTINF is unspecified.
    if (std::round(segment.duration) > static_cast<double>(playlist.target_duration)) {
      Count(PlaylistError::kSegmentOverTarget);
    }
    if (i + 1 == playlist.segments.size() && counted.mtime) {
      newest_mtime_ = counted.mtime;
      newest_mtime_sequence_ = sequence;
    }
  }
  next_sequence_ = playlist.EndSequence();
}

void HlsStreamTracker::UpdateLiveEdge(const MediaPlaylist& playlist, double now) {
  if (playlist.segments.empty()) {
    if (!have_previous_ || restarted_) last_advance_ = now;
    live_edge_.reset();
    state_.latency_source = TimeSource::kNone;
    return;
  }
  const std::size_t last = playlist.segments.size() - 1;
  const std::uint64_t newest = playlist.SequenceOf(last);
  if (!have_previous_ || restarted_ || newest > newest_sequence_ || !last_advance_) {
    last_advance_ = now;
    newest_sequence_ = newest;
  }
  // 4.3.2.6: PDT dates a segment's first sample, so the live edge is the
  // newest segment's date plus its EXTINF. Failing that, the time its file
  // was last written, which is when the segmenter closed it.
  if (const auto start = SegmentStartTime(playlist, last)) {
    live_edge_ = *start + playlist.segments[last].duration;
    state_.latency_source = TimeSource::kProgramDateTime;
  } else if (newest_mtime_ && newest_mtime_sequence_ == newest) {
    live_edge_ = *newest_mtime_;
    state_.latency_source = TimeSource::kMtime;
  } else {
    live_edge_.reset();
    state_.latency_source = TimeSource::kNone;
  }
}

void HlsStreamTracker::UpdateParts(const MediaPlaylist& playlist, double now) {
  // 8216bis 4.4.4.9: parts after the last segment belong to the segment in
  // production; otherwise the newest part is the last segment's last one.
  const std::vector<Part>* parts = &playlist.pending_parts;
  const bool pending = !parts->empty();
  if (!pending && !playlist.segments.empty()) parts = &playlist.segments.back().parts;
  if (parts->empty()) {
    part_edge_.reset();
    state_.part_age_source = TimeSource::kNone;
    return;
  }
  const Part& newest = parts->back();
  const std::uint64_t key =
      Hasher().Add(std::string_view(newest.uri)).Add(newest.byte_range).hash();
  if (key != newest_part_key_) {
    newest_part_key_ = key;
    newest_part_seen_ = now;
  }
  std::optional<double> start;
  if (!playlist.segments.empty()) start = SegmentStartTime(playlist, playlist.segments.size() - 1);
  if (start) {
    double edge = *start + playlist.segments.back().duration;
    if (pending) {
      for (const Part& p : *parts) edge += p.duration;
    }
    part_edge_ = edge;
    state_.part_age_source = TimeSource::kProgramDateTime;
  } else {
    part_edge_ = newest_part_seen_;
    state_.part_age_source = TimeSource::kFirstSeen;
  }
}

void HlsStreamTracker::UpdateAges(double now) {
  if (!state_.has_playlist) return;
  const double age = now - last_advance_.value_or(now);
  state_.playlist_age_seconds = std::max(0.0, age);
  // A target duration of 0 is invalid (4.3.3.1); reading it as 1 s keeps
  // such a stream from counting as stale at every poll.
  const double target = static_cast<double>(std::max<std::uint64_t>(state_.target_duration, 1));
  const bool fresh = !state_.ended && age <= stale_factor_ * target;
  if (state_.fresh && !fresh && !state_.ended) Count(PlaylistError::kStale);
  state_.fresh = fresh;
  state_.up = last_fetch_ok_ && fresh;
  state_.latency_seconds.reset();
  if (live_edge_) state_.latency_seconds = now - *live_edge_;
  state_.newest_part_age_seconds.reset();
  if (part_edge_) state_.newest_part_age_seconds = now - *part_edge_;
}

void HlsStreamTracker::Observe(const MediaPlaylist& playlist, double now,
                               const std::vector<SegmentFile>& files) {
  const std::uint64_t first_new = FirstNewSequence(playlist);
  CheckContinuity(playlist);
  CountNewSegments(playlist, first_new, files);
  UpdateLiveEdge(playlist, now);
  UpdateParts(playlist, now);

  have_previous_ = true;
  previous_media_sequence_ = playlist.media_sequence;
  previous_first_listed_ = playlist.SequenceOf(0);
  previous_end_ = playlist.EndSequence();
  previous_discontinuity_sequence_ = playlist.discontinuity_sequence;
  previous_discontinuities_.clear();
  for (std::size_t i = 0; i < playlist.segments.size(); ++i) {
    if (playlist.segments[i].discontinuity)
      previous_discontinuities_.push_back(playlist.SequenceOf(i));
  }

  state_.has_playlist = true;
  state_.ended = playlist.endlist;
  state_.target_duration = playlist.target_duration;
  state_.media_sequence = playlist.media_sequence;
  state_.discontinuity_sequence = playlist.discontinuity_sequence;
  last_fetch_ok_ = true;
  UpdateAges(now);
}

void HlsStreamTracker::ObserveParseError(double now) {
  Count(PlaylistError::kParse);
  last_fetch_ok_ = false;
  UpdateAges(now);
}

void HlsStreamTracker::ObserveFetchFailure(double now) {
  last_fetch_ok_ = false;
  UpdateAges(now);
}

}  // namespace vms::hls
