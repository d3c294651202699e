#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "vms/base/status.h"

namespace vms::hls {

// An HLS playlist as RFC 8216 (and, for Low-Latency HLS, RFC 8216bis)
// defines it. Section numbers in comments are RFC 8216's unless they say 8216bis.

// EXT-X-BYTERANGE (4.3.2.2) and the BYTERANGE attribute of EXT-X-PART
// (8216bis 4.4.4.9): <length>[@<offset>]. Without an offset the range starts
// where the previous one of the same resource ended.
struct ByteRange {
  std::uint64_t length = 0;
  std::optional<std::uint64_t> offset;
};

// EXT-X-PART (8216bis 4.4.4.9): a Partial Segment.
struct Part {
  double duration = 0;
  std::string uri;
  bool independent = false;
  bool gap = false;
  std::optional<ByteRange> byte_range;
};

// A Media Segment (3, 4.3.2): its EXTINF and the tags before its URI line.
struct Segment {
  double duration = 0;                  // EXTINF (4.3.2.1), seconds
  std::string title;                    // EXTINF's optional title
  std::string uri;                      // as written; see ResolveUri
  std::optional<ByteRange> byte_range;  // EXT-X-BYTERANGE (4.3.2.2)
  bool discontinuity = false;           // EXT-X-DISCONTINUITY before it (4.3.2.3)
  bool gap = false;                     // EXT-X-GAP (8216bis 4.4.4.7)
  // EXT-X-PROGRAM-DATE-TIME (4.3.2.6) written on this segment, in Unix
  // seconds: the date of its first sample. Not extrapolated; see
  // SegmentStartTime.
  std::optional<double> program_date_time;
  std::vector<Part> parts;  // the EXT-X-PART tags listed before its EXTINF
};

// EXT-X-SERVER-CONTROL (8216bis 4.4.3.8).
struct ServerControl {
  std::optional<double> can_skip_until;
  bool can_skip_dateranges = false;
  std::optional<double> hold_back;
  std::optional<double> part_hold_back;
  bool can_block_reload = false;
};

// EXT-X-PRELOAD-HINT (8216bis 4.4.5.3).
struct PreloadHint {
  std::string type;  // PART or MAP
  std::string uri;
  std::optional<std::uint64_t> byte_range_start;
  std::optional<std::uint64_t> byte_range_length;
};

// EXT-X-RENDITION-REPORT (8216bis 4.4.5.4).
struct RenditionReport {
  std::string uri;
  std::optional<std::uint64_t> last_msn;
  std::optional<std::uint64_t> last_part;
};

enum class PlaylistType { kNone, kEvent, kVod };  // EXT-X-PLAYLIST-TYPE (4.3.3.5)

struct MediaPlaylist {
  int version = 1;                           // EXT-X-VERSION (4.3.1.2); 1 when absent
  std::uint64_t target_duration = 0;         // EXT-X-TARGETDURATION (4.3.3.1), required
  std::uint64_t media_sequence = 0;          // EXT-X-MEDIA-SEQUENCE (4.3.3.2); 0 when absent
  std::uint64_t discontinuity_sequence = 0;  // EXT-X-DISCONTINUITY-SEQUENCE (4.3.3.3)
  bool endlist = false;                      // EXT-X-ENDLIST (4.3.3.4)
  PlaylistType type = PlaylistType::kNone;
  bool i_frames_only = false;         // EXT-X-I-FRAMES-ONLY (4.3.3.6)
  bool independent_segments = false;  // EXT-X-INDEPENDENT-SEGMENTS (4.3.5.1)
  // EXT-X-SKIP (8216bis 4.4.5.2): a Playlist Delta Update left out this many
  // segments after media_sequence; the first listed one is media_sequence +
  // skipped_segments.
  std::uint64_t skipped_segments = 0;
  std::optional<double> part_target;  // EXT-X-PART-INF PART-TARGET (8216bis 4.4.3.7)
  std::optional<ServerControl> server_control;
  std::vector<Segment> segments;
  // Parts after the last segment's URI: the segment still being produced
  // (8216bis 4.4.4.9), which has no EXTINF yet.
  std::vector<Part> pending_parts;
  std::vector<PreloadHint> preload_hints;
  std::vector<RenditionReport> rendition_reports;

  // Media Sequence Number of segments[i] (3, 4.3.3.2, 8216bis 4.4.5.2).
  std::uint64_t SequenceOf(std::size_t i) const { return media_sequence + skipped_segments + i; }
  // One past the last segment's sequence number: the window's end.
  std::uint64_t EndSequence() const { return SequenceOf(segments.size()); }
};

// EXT-X-STREAM-INF (4.3.4.2): a variant stream and its playlist's URI.
struct Variant {
  std::uint64_t bandwidth = 0;  // required
  std::optional<std::uint64_t> average_bandwidth;
  int width = 0;  // RESOLUTION, 0 when absent
  int height = 0;
  std::string codecs;
  std::optional<double> frame_rate;
  // NAME is not an EXT-X-STREAM-INF attribute in the RFC, but packagers
  // (Wowza, some MediaMTX setups) write one, and it is the best label.
  std::string name;
  std::string audio_group;
  std::string video_group;
  std::string uri;
};

// EXT-X-MEDIA (4.3.4.1): an alternative rendition.
struct Rendition {
  std::string type;  // AUDIO, VIDEO, SUBTITLES, CLOSED-CAPTIONS
  std::string group_id;
  std::string name;
  std::string language;
  std::string uri;  // empty when the rendition is in the variant itself
  bool is_default = false;
  bool autoselect = false;
};

struct MasterPlaylist {
  int version = 1;
  bool independent_segments = false;
  std::vector<Variant> variants;
  std::vector<Rendition> renditions;
  std::vector<Variant> i_frame_variants;  // EXT-X-I-FRAME-STREAM-INF (4.3.4.3)
};

struct Playlist {
  std::variant<MasterPlaylist, MediaPlaylist> value;

  bool is_master() const { return std::holds_alternative<MasterPlaylist>(value); }
  const MasterPlaylist* master() const { return std::get_if<MasterPlaylist>(&value); }
  const MediaPlaylist* media() const { return std::get_if<MediaPlaylist>(&value); }
};

// What the parser accepts: beyond these it fails rather than grow without
// bound on hostile input. A live window is tens of segments; 20000 is an
// EVENT playlist of 5.5 hours of 1 s segments.
inline constexpr std::size_t kMaxPlaylistBytes = 8 << 20;
inline constexpr std::size_t kMaxLineBytes = 16 << 10;
inline constexpr std::size_t kMaxSegments = 20000;
inline constexpr std::size_t kMaxParts = 20000;   // in the whole playlist
inline constexpr std::size_t kMaxEntries = 1000;  // variants, renditions, hints, reports each

// Parses a Master or Media Playlist (4). Unknown tags and comments (lines
// starting with '#' but not "#EXT") are skipped, as 6.3.1 tells clients to do;
// malformed known tags, a missing #EXTM3U, a media playlist without
// EXT-X-TARGETDURATION and a mix of master and media tags (4.3, 4.3.4) are
// errors naming the line. Pure: no I/O.
Result<Playlist> ParsePlaylist(std::string_view text);

// The date of the first sample of segments[i] (4.3.2.6): its own
// EXT-X-PROGRAM-DATE-TIME, or the nearest earlier one plus the EXTINF
// durations in between, unless an EXT-X-DISCONTINUITY lies in between (the
// timeline may jump there). nullopt when no date applies.
std::optional<double> SegmentStartTime(const MediaPlaylist& playlist, std::size_t i);

}  // namespace vms::hls
