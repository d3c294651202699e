#include "vms/rtsp/sdp.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>

#include "vms/base/text.h"

namespace vms {
namespace {

std::optional<int> ToInt(std::string_view s) {
  int value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

std::optional<double> ToDouble(std::string_view s) {
  s = Trim(s);
  if (s.empty() || s.size() > 32) return std::nullopt;
  double value = 0;
  if (!ParseNumber(s, value) || !(value > 0) || value > 1000) return std::nullopt;
  return value;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    const std::size_t i = s.find(sep);
    out.push_back(s.substr(0, i));
    if (i == std::string_view::npos) return out;
    s.remove_prefix(i + 1);
  }
}

// "a=rtpmap:96 H264/90000" -> {96, "H264/90000"}
std::optional<std::pair<int, std::string_view>> PayloadAttribute(std::string_view value) {
  const std::size_t sp = value.find(' ');
  if (sp == std::string_view::npos) return std::nullopt;
  const auto pt = ToInt(value.substr(0, sp));
  if (!pt) return std::nullopt;
  return std::pair{*pt, Trim(value.substr(sp + 1))};
}

void ParseDimensions(std::string_view text, char sep, SdpMedia& media) {
  const std::size_t i = text.find(sep);
  if (i == std::string_view::npos) return;
  const auto w = ToInt(Trim(text.substr(0, i)));
  const auto h = ToInt(Trim(text.substr(i + 1)));
  if (w && h && *w > 0 && *h > 0 && *w <= 16384 && *h <= 16384) {
    media.width = *w;
    media.height = *h;
  }
}

void ApplyAttribute(std::string_view attr, SdpMedia& media) {
  const std::size_t colon = attr.find(':');
  const std::string_view name = attr.substr(0, colon);
  const std::string_view value = colon == std::string_view::npos ? "" : attr.substr(colon + 1);
  if (name == "rtpmap") {
    const auto pv = PayloadAttribute(value);
    if (!pv) return;
    const auto parts = Split(pv->second, '/');
    SdpMedia::RtpMap map;
    map.encoding = std::string(parts[0]);
    if (parts.size() > 1) map.clock_rate = ToInt(parts[1]).value_or(0);
    media.rtpmap[pv->first] = std::move(map);
  } else if (name == "fmtp") {
    if (const auto pv = PayloadAttribute(value)) media.fmtp[pv->first] = std::string(pv->second);
  } else if (name == "control") {
    media.control = std::string(Trim(value));
  } else if (name == "framerate") {
    media.framerate = ToDouble(value);
  } else if (name == "x-dimensions") {
    ParseDimensions(value, ',', media);
  } else if (name == "framesize") {
    if (const auto pv = PayloadAttribute(value)) ParseDimensions(pv->second, '-', media);
  }
}

// Value of `key` in "a=1; key=value; b=2" (fmtp parameters).
std::optional<std::string_view> FmtpParameter(std::string_view fmtp, std::string_view key) {
  for (std::string_view item : Split(fmtp, ';')) {
    item = Trim(item);
    const std::size_t eq = item.find('=');
    if (eq != std::string_view::npos && EqualsNoCase(Trim(item.substr(0, eq)), key)) {
      return Trim(item.substr(eq + 1));
    }
  }
  return std::nullopt;
}

std::string CodecName(std::string_view encoding, int payload_type) {
  if (encoding.empty()) {
    // Static payload types of RFC 3551, used without an rtpmap.
    if (payload_type == 26) return "MJPEG";
    if (payload_type == 32) return "MPEG2";
    if (payload_type == 34) return "H263";
    return "";
  }
  if (EqualsNoCase(encoding, "H264")) return "H264";
  if (EqualsNoCase(encoding, "H265") || EqualsNoCase(encoding, "HEVC")) return "H265";
  if (EqualsNoCase(encoding, "JPEG") || EqualsNoCase(encoding, "MJPEG")) return "MJPEG";
  if (EqualsNoCase(encoding, "MP4V-ES")) return "MPEG4";
  if (EqualsNoCase(encoding, "MPV")) return "MPEG2";
  if (EqualsNoCase(encoding, "VP8")) return "VP8";
  if (EqualsNoCase(encoding, "VP9")) return "VP9";
  if (EqualsNoCase(encoding, "AV1")) return "AV1";
  std::string upper(encoding);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return upper;
}

}  // namespace

std::optional<std::string> DecodeBase64Lenient(std::string_view text) {
  std::string padded(Trim(text));
  while (!padded.empty() && padded.back() == '=') padded.pop_back();
  const std::size_t data_chars = padded.size();
  if (data_chars % 4 == 1) return std::nullopt;
  while (padded.size() % 4 != 0) padded.push_back('=');
  std::string out(padded.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(padded.data()),
                                static_cast<int>(padded.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes; drop them.
  out.resize(data_chars * 3 / 4);
  return out;
}

Result<SessionDescription> ParseSdp(std::string_view text) {
  SessionDescription sdp;
  bool seen_version = false;
  SdpMedia session_level;  // attributes before the first m= line
  for (std::string_view line : Split(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() < 2 || line[1] != '=') continue;
    const char type = line[0];
    const std::string_view value = line.substr(2);
    if (type == 'v') {
      seen_version = true;
    } else if (type == 'm') {
      const auto fields = Split(Trim(value), ' ');
      if (fields.size() < 4) return Status::Error("SDP has a malformed m= line");
      SdpMedia media;
      media.type = std::string(fields[0]);
      for (std::size_t i = 3; i < fields.size(); ++i) {
        if (const auto pt = ToInt(fields[i])) media.payload_types.push_back(*pt);
      }
      sdp.media.push_back(std::move(media));
    } else if (type == 'a') {
      ApplyAttribute(value, sdp.media.empty() ? session_level : sdp.media.back());
    }
  }
  if (!seen_version) return Status::Error("body is not an SDP (no v= line)");
  sdp.framerate = session_level.framerate;
  return sdp;
}

Result<VideoTrack> FindVideoTrack(const SessionDescription& sdp) {
  for (const auto& media : sdp.media) {
    if (media.type != "video" || media.payload_types.empty()) continue;
    VideoTrack track;
    track.payload_type = media.payload_types.front();
    const auto map = media.rtpmap.find(track.payload_type);
    track.codec =
        CodecName(map == media.rtpmap.end() ? "" : map->second.encoding, track.payload_type);
    track.framerate = media.framerate ? media.framerate : sdp.framerate;
    track.width = media.width;
    track.height = media.height;
    if (const auto fmtp = media.fmtp.find(track.payload_type); fmtp != media.fmtp.end()) {
      if (track.codec == "H264") {
        // sprop-parameter-sets=SPS,PPS[,...] (RFC 6184): keep the SPS ones.
        if (const auto sets = FmtpParameter(fmtp->second, "sprop-parameter-sets")) {
          for (const auto item : Split(*sets, ',')) {
            const auto nal = DecodeBase64Lenient(item);
            if (nal && !nal->empty() && (static_cast<unsigned char>((*nal)[0]) & 0x1f) == 7) {
              track.sps.push_back(*nal);
            }
          }
        }
      } else if (track.codec == "H265") {
        if (const auto sets = FmtpParameter(fmtp->second, "sprop-sps")) {
          for (const auto item : Split(*sets, ',')) {
            if (auto nal = DecodeBase64Lenient(item); nal && !nal->empty()) {
              track.sps.push_back(std::move(*nal));
            }
          }
        }
      }
    }
    return track;
  }
  return Status::Error("SDP has no video track");
}

}  // namespace vms
