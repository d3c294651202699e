#include "vms/hls/playlist.h"

#include <cmath>

#include "attribute_list.h"
#include "vms/base/text.h"
#include "vms/hls/date_time.h"

namespace vms::hls {
namespace {

// Sequence numbers beyond this could wrap when skipped and listed segments
// are added; no encoder gets near it (2^62 one-second segments).
constexpr std::uint64_t kMaxSequence = std::uint64_t{1} << 62;

// Tags of Media Playlists (4.3.2, 4.3.3, 8216bis 4.4.3 to 4.4.5) and of
// Master Playlists (4.3.4): one playlist must not have both (4.3.4).
bool IsMasterTag(std::string_view tag) {
  return tag == "EXT-X-STREAM-INF" || tag == "EXT-X-MEDIA" || tag == "EXT-X-I-FRAME-STREAM-INF" ||
         tag == "EXT-X-SESSION-DATA" || tag == "EXT-X-SESSION-KEY" ||
         tag == "EXT-X-CONTENT-STEERING";
}

bool IsMediaTag(std::string_view tag) {
  return tag == "EXTINF" || tag == "EXT-X-BYTERANGE" || tag == "EXT-X-DISCONTINUITY" ||
         tag == "EXT-X-KEY" || tag == "EXT-X-MAP" || tag == "EXT-X-PROGRAM-DATE-TIME" ||
         tag == "EXT-X-DATERANGE" || tag == "EXT-X-GAP" || tag == "EXT-X-BITRATE" ||
         tag == "EXT-X-TARGETDURATION" || tag == "EXT-X-MEDIA-SEQUENCE" ||
         tag == "EXT-X-DISCONTINUITY-SEQUENCE" || tag == "EXT-X-ENDLIST" ||
         tag == "EXT-X-PLAYLIST-TYPE" || tag == "EXT-X-I-FRAMES-ONLY" || tag == "EXT-X-PART-INF" ||
         tag == "EXT-X-SERVER-CONTROL" || tag == "EXT-X-PART" || tag == "EXT-X-PRELOAD-HINT" ||
         tag == "EXT-X-RENDITION-REPORT" || tag == "EXT-X-SKIP";
}

// <n>[@<o>] (4.3.2.2).
std::optional<ByteRange> ParseByteRange(std::string_view s) {
  const std::size_t at = s.find('@');
  const auto length = ParseDecimalInteger(s.substr(0, at));
  if (!length) return std::nullopt;
  ByteRange range{*length, std::nullopt};
  if (at != std::string_view::npos) {
    range.offset = ParseDecimalInteger(s.substr(at + 1));
    if (!range.offset) return std::nullopt;
  }
  return range;
}

class Parser {
 public:
  Status Line(std::size_t number, std::string_view line);
  Result<Playlist> Finish();

 private:
  Status Fail(std::string_view what) const {
    return Status::Error("line " + std::to_string(line_number_) + ": " + std::string(what));
  }
  Status Mixed() const;
  Status Tag(std::string_view tag, std::string_view value);
  Status MediaTag(std::string_view tag, std::string_view value);
  Status MasterTag(std::string_view tag, std::string_view value);
  Status Uri(std::string_view uri);
  Result<AttributeReader> Attributes(std::string_view tag, std::string_view value) const;
  Result<Part> ParsePart(std::string_view value);
  Result<Variant> ParseVariant(std::string_view tag, std::string_view value, bool uri_attribute);

  std::size_t line_number_ = 0;
  std::size_t master_line_ = 0;  // first line with a master tag, 0 when none
  std::size_t media_line_ = 0;
  int version_ = 1;
  bool independent_segments_ = false;
  bool have_target_duration_ = false;
  MediaPlaylist media_;
  MasterPlaylist master_;
  Segment next_;  // the tags seen since the last URI line
  bool have_extinf_ = false;
  std::optional<Variant> pending_variant_;
  std::size_t parts_ = 0;
};

Result<AttributeReader> Parser::Attributes(std::string_view tag, std::string_view value) const {
  auto attributes = ParseAttributeList(value);
  if (!attributes.ok()) return Fail(std::string(tag) + ": " + attributes.error());
  return AttributeReader(tag, std::move(attributes).value());
}

Status Parser::Line(std::size_t number, std::string_view line) {
  line_number_ = number;
  if (line.size() > kMaxLineBytes) {
    return Fail("longer than " + std::to_string(kMaxLineBytes) + " bytes");
  }
  line = Trim(line);
  if (line.empty()) return Status::Ok();
  if (line.front() != '#') return Uri(line);
  if (line.substr(0, 4) != "#EXT") return Status::Ok();  // a comment (4.1)
  const std::size_t colon = line.find(':');
  const std::string_view tag = line.substr(1, colon == std::string_view::npos ? colon : colon - 1);
  const std::string_view value =
      colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
  return Tag(tag, value);
}

Status Parser::Tag(std::string_view tag, std::string_view value) {
  if (IsMasterTag(tag)) {
    if (master_line_ == 0) master_line_ = line_number_;
    if (media_line_ != 0) return Mixed();
    return MasterTag(tag, value);
  }
  if (IsMediaTag(tag)) {
    if (media_line_ == 0) media_line_ = line_number_;
    if (master_line_ != 0) return Mixed();
    return MediaTag(tag, value);
  }
  if (tag == "EXTM3U") return Fail("#EXTM3U repeated");
  if (tag == "EXT-X-VERSION") {  // 4.3.1.2
    const auto v = ParseDecimalInteger(value);
    if (!v || *v > 1000) return Fail("EXT-X-VERSION is not a small decimal-integer");
    version_ = static_cast<int>(*v);
  } else if (tag == "EXT-X-INDEPENDENT-SEGMENTS") {  // 4.3.5.1
    independent_segments_ = true;
  }
  // Anything else (EXT-X-START, EXT-X-DEFINE, vendor tags) does not change
  // what is measured; 6.3.1 tells clients to ignore tags they do not know.
  return Status::Ok();
}

Result<Part> Parser::ParsePart(std::string_view value) {
  auto reader = Attributes("EXT-X-PART", value);
  if (!reader.ok()) return reader.status();
  Part part;
  part.duration = reader->Float("DURATION", true).value_or(0);
  part.uri = reader->QuotedString("URI", true).value_or("");
  part.independent = reader->Yes("INDEPENDENT");
  part.gap = reader->Yes("GAP");
  if (const auto range = reader->QuotedString("BYTERANGE")) {
    part.byte_range = ParseByteRange(*range);
    if (!part.byte_range) return Fail("EXT-X-PART BYTERANGE is not <n>[@<o>]");
  }
  if (!reader->status().ok()) return Fail(reader->status().message());
  return part;
}

Status Parser::MediaTag(std::string_view tag, std::string_view value) {
  if (tag == "EXTINF") {  // 4.3.2.1: <duration>,[<title>]
    const std::size_t comma = value.find(',');
    const auto duration = ParseDecimalFloat(Trim(value.substr(0, comma)));
    if (!duration) return Fail("EXTINF duration is not a decimal number");
    next_.duration = *duration;
    next_.title = comma == std::string_view::npos ? "" : std::string(value.substr(comma + 1));
    have_extinf_ = true;
  } else if (tag == "EXT-X-BYTERANGE") {
    next_.byte_range = ParseByteRange(value);
    if (!next_.byte_range) return Fail("EXT-X-BYTERANGE is not <n>[@<o>]");
  } else if (tag == "EXT-X-DISCONTINUITY") {
    next_.discontinuity = true;
  } else if (tag == "EXT-X-GAP") {
    next_.gap = true;
  } else if (tag == "EXT-X-PROGRAM-DATE-TIME") {
    next_.program_date_time = ParseDateTime(Trim(value));
    if (!next_.program_date_time) return Fail("EXT-X-PROGRAM-DATE-TIME is not an ISO 8601 date");
  } else if (tag == "EXT-X-TARGETDURATION") {
    // A decimal-integer (4.3.3.1); a decimal-float, which some packagers
    // write, is read as the ceiling it stands for.
    const auto d = ParseDecimalFloat(value);
    if (!d || *d > 1e6) return Fail("EXT-X-TARGETDURATION is not a decimal-integer");
    media_.target_duration = static_cast<std::uint64_t>(std::ceil(*d));
    have_target_duration_ = true;
  } else if (tag == "EXT-X-MEDIA-SEQUENCE" || tag == "EXT-X-DISCONTINUITY-SEQUENCE") {
    const auto n = ParseDecimalInteger(value);
    if (!n || *n > kMaxSequence) return Fail(std::string(tag) + " is not a decimal-integer");
    (tag == "EXT-X-MEDIA-SEQUENCE" ? media_.media_sequence : media_.discontinuity_sequence) = *n;
  } else if (tag == "EXT-X-ENDLIST") {
    media_.endlist = true;
  } else if (tag == "EXT-X-PLAYLIST-TYPE") {
    if (value == "EVENT") {
      media_.type = PlaylistType::kEvent;
    } else if (value == "VOD") {
      media_.type = PlaylistType::kVod;
    } else {
      return Fail("EXT-X-PLAYLIST-TYPE is neither EVENT nor VOD");
    }
  } else if (tag == "EXT-X-I-FRAMES-ONLY") {
    media_.i_frames_only = true;
  } else if (tag == "EXT-X-PART-INF") {
    auto reader = Attributes(tag, value);
    if (!reader.ok()) return reader.status();
    media_.part_target = reader->Float("PART-TARGET", true);
    if (!reader->status().ok()) return Fail(reader->status().message());
  } else if (tag == "EXT-X-SERVER-CONTROL") {
    auto reader = Attributes(tag, value);
    if (!reader.ok()) return reader.status();
    ServerControl control;
    control.can_skip_until = reader->Float("CAN-SKIP-UNTIL");
    control.can_skip_dateranges = reader->Yes("CAN-SKIP-DATERANGES");
    control.hold_back = reader->Float("HOLD-BACK");
    control.part_hold_back = reader->Float("PART-HOLD-BACK");
    control.can_block_reload = reader->Yes("CAN-BLOCK-RELOAD");
    if (!reader->status().ok()) return Fail(reader->status().message());
    media_.server_control = control;
  } else if (tag == "EXT-X-PART") {
    if (parts_ == kMaxParts) return Fail("more than " + std::to_string(kMaxParts) + " parts");
    auto part = ParsePart(value);
    if (!part.ok()) return part.status();
    next_.parts.push_back(std::move(part).value());
    ++parts_;
  } else if (tag == "EXT-X-PRELOAD-HINT") {
    if (media_.preload_hints.size() == kMaxEntries) return Fail("too many EXT-X-PRELOAD-HINT");
    auto reader = Attributes(tag, value);
    if (!reader.ok()) return reader.status();
    PreloadHint hint;
    hint.type = std::string(reader->Enumerated("TYPE", true).value_or(""));
    hint.uri = reader->QuotedString("URI", true).value_or("");
    hint.byte_range_start = reader->Integer("BYTERANGE-START");
    hint.byte_range_length = reader->Integer("BYTERANGE-LENGTH");
    if (!reader->status().ok()) return Fail(reader->status().message());
    media_.preload_hints.push_back(std::move(hint));
  } else if (tag == "EXT-X-RENDITION-REPORT") {
    if (media_.rendition_reports.size() == kMaxEntries) {
      return Fail("too many EXT-X-RENDITION-REPORT");
    }
    auto reader = Attributes(tag, value);
    if (!reader.ok()) return reader.status();
    RenditionReport report;
    report.uri = reader->QuotedString("URI", true).value_or("");
    report.last_msn = reader->Integer("LAST-MSN");
    report.last_part = reader->Integer("LAST-PART");
    if (!reader->status().ok()) return Fail(reader->status().message());
    media_.rendition_reports.push_back(std::move(report));
  } else if (tag == "EXT-X-SKIP") {
    // 8216bis 4.4.5.2: it stands for the first segments of the playlist, so
    // it must come before any listed one or sequence numbers would be wrong.
    if (!media_.segments.empty()) return Fail("EXT-X-SKIP after a segment");
    auto reader = Attributes(tag, value);
    if (!reader.ok()) return reader.status();
    const auto skipped = reader->Integer("SKIPPED-SEGMENTS", true);
    if (!reader->status().ok()) return Fail(reader->status().message());
    if (*skipped > kMaxSequence) return Fail("EXT-X-SKIP SKIPPED-SEGMENTS too large");
    media_.skipped_segments = *skipped;
  }
  // EXT-X-KEY, EXT-X-MAP, EXT-X-DATERANGE, EXT-X-BITRATE: media tags that do
  // not change what is measured.
  return Status::Ok();
}

Result<Variant> Parser::ParseVariant(std::string_view tag, std::string_view value,
                                     bool uri_attribute) {
  auto reader = Attributes(tag, value);
  if (!reader.ok()) return reader.status();
  Variant v;
  v.bandwidth = reader->Integer("BANDWIDTH", true).value_or(0);
  v.average_bandwidth = reader->Integer("AVERAGE-BANDWIDTH");
  if (const auto resolution = reader->Resolution("RESOLUTION")) {
    v.width = resolution->first;
    v.height = resolution->second;
  }
  v.codecs = reader->QuotedString("CODECS").value_or("");
  v.frame_rate = reader->Float("FRAME-RATE");
  v.name = reader->QuotedString("NAME").value_or("");
  v.audio_group = reader->QuotedString("AUDIO").value_or("");
  v.video_group = reader->QuotedString("VIDEO").value_or("");
  if (uri_attribute) v.uri = reader->QuotedString("URI", true).value_or("");
  if (!reader->status().ok()) return Fail(reader->status().message());
  return v;
}

Status Parser::MasterTag(std::string_view tag, std::string_view value) {
  if (tag == "EXT-X-STREAM-INF") {  // 4.3.4.2: the next URI line is its playlist
    if (pending_variant_) return Fail("EXT-X-STREAM-INF without a URI line before it");
    if (master_.variants.size() == kMaxEntries) return Fail("too many variants");
    auto variant = ParseVariant(tag, value, false);
    if (!variant.ok()) return variant.status();
    pending_variant_ = std::move(variant).value();
  } else if (tag == "EXT-X-I-FRAME-STREAM-INF") {  // 4.3.4.3
    if (master_.i_frame_variants.size() == kMaxEntries) return Fail("too many I-frame variants");
    auto variant = ParseVariant(tag, value, true);
    if (!variant.ok()) return variant.status();
    master_.i_frame_variants.push_back(std::move(variant).value());
  } else if (tag == "EXT-X-MEDIA") {  // 4.3.4.1
    if (master_.renditions.size() == kMaxEntries) return Fail("too many EXT-X-MEDIA");
    auto reader = Attributes(tag, value);
    if (!reader.ok()) return reader.status();
    Rendition r;
    r.type = std::string(reader->Enumerated("TYPE", true).value_or(""));
    r.group_id = reader->QuotedString("GROUP-ID", true).value_or("");
    r.name = reader->QuotedString("NAME", true).value_or("");
    r.language = reader->QuotedString("LANGUAGE").value_or("");
    r.uri = reader->QuotedString("URI").value_or("");
    r.is_default = reader->Yes("DEFAULT");
    r.autoselect = reader->Yes("AUTOSELECT");
    if (!reader->status().ok()) return Fail(reader->status().message());
    master_.renditions.push_back(std::move(r));
  }
  return Status::Ok();
}

Status Parser::Uri(std::string_view uri) {
  if (pending_variant_) {
    pending_variant_->uri = std::string(uri);
    master_.variants.push_back(std::move(*pending_variant_));
    pending_variant_.reset();
    return Status::Ok();
  }
  if (master_line_ != 0) return Fail("URI line without EXT-X-STREAM-INF");
  if (!have_extinf_) return Fail("segment URI without EXTINF");  // 4.3.2.1: REQUIRED
  if (media_.segments.size() == kMaxSegments) {
    return Fail("more than " + std::to_string(kMaxSegments) + " segments");
  }
  next_.uri = std::string(uri);
  media_.segments.push_back(std::move(next_));
  next_ = Segment();
  have_extinf_ = false;
  return Status::Ok();
}

Status Parser::Mixed() const {
  return Status::Error("mixes master playlist tags (line " + std::to_string(master_line_) +
                       ") with media playlist tags (line " + std::to_string(media_line_) +
                       "): RFC 8216 4.3.4");
}

Result<Playlist> Parser::Finish() {
  if (master_line_ != 0) {
    if (pending_variant_) return Status::Error("the last EXT-X-STREAM-INF has no URI line");
    master_.version = version_;
    master_.independent_segments = independent_segments_;
    return Playlist{std::move(master_)};
  }
  if (!have_target_duration_) return Status::Error("no EXT-X-TARGETDURATION (RFC 8216 4.3.3.1)");
  media_.version = version_;
  media_.independent_segments = independent_segments_;
  media_.pending_parts = std::move(next_.parts);
  return Playlist{std::move(media_)};
}

}  // namespace

Result<Playlist> ParsePlaylist(std::string_view text) {
  if (text.size() > kMaxPlaylistBytes) {
    return Status::Error("playlist larger than " + std::to_string(kMaxPlaylistBytes) + " bytes");
  }
  // 4.1 forbids a byte order mark, but editors add one and it hides nothing.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::string_view line;
  if (!NextLine(text, line) || Trim(line) != "#EXTM3U") {
    return Status::Error("not an HLS playlist: the first line is not #EXTM3U (RFC 8216 4.3.1.1)");
  }
  Parser parser;
  std::size_t number = 1;
  while (NextLine(text, line)) {
    if (Status s = parser.Line(++number, line); !s.ok()) return s;
  }
  return parser.Finish();
}

std::optional<double> SegmentStartTime(const MediaPlaylist& playlist, std::size_t i) {
  if (i >= playlist.segments.size()) return std::nullopt;
  double offset = 0;
  for (std::size_t k = i + 1; k-- > 0;) {
    const Segment& s = playlist.segments[k];
    if (k < i) offset += s.duration;
    if (s.program_date_time) return *s.program_date_time + offset;
    if (s.discontinuity) return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace vms::hls
