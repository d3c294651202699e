#include "streaming_gateway/stream_collector.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>

#include "streaming_gateway/shared_help.h"
#include "streaming_gateway/traffic_collector.h"

namespace vms::streaming_gateway {
namespace {

using hls::HlsStreamState;
using hls::PlaylistError;

constexpr const char* kHlsNote =
    " Refreshed every hls_interval by a background poll of the playlist.";

// What one stream's snapshots say, read once per scrape.
struct View {
  const Stream* stream;
  std::shared_ptr<const RtspProbeResult> rtsp;
  std::shared_ptr<const HlsProbeResult> hls;

  const std::string& id() const { return stream->config.camera_id; }
  std::optional<bool> RtspUp() const {
    if (!rtsp) return std::nullopt;
    return rtsp->state == CameraState::kOk;
  }
  std::optional<bool> HlsUp() const {
    if (!hls) return std::nullopt;
    return std::any_of(hls->variants.begin(), hls->variants.end(),
                       [](const HlsVariantStatus& v) { return v.state.up; });
  }
  // The worst latency of the variants that have one: the edge a viewer of
  // the slowest variant sees.
  std::optional<double> HlsLatency() const {
    if (!hls) return std::nullopt;
    std::optional<double> worst;
    for (const auto& v : hls->variants) {
      if (v.state.latency_seconds)
        worst = std::max(worst.value_or(*v.state.latency_seconds), *v.state.latency_seconds);
    }
    return worst;
  }
};

std::string Fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::vector<View> Views(const StreamList& streams) {
  std::vector<View> views;
  views.reserve(streams.size());
  for (const auto& s : streams) {
    views.push_back(
        {s.get(), s->rtsp ? s->rtsp->Latest() : nullptr, s->hls ? s->hls->Latest() : nullptr});
  }
  return views;
}

}  // namespace

Status StreamCollector::Collect(const ScrapeContext& /*ctx*/, MetricWriter& out) {
  const auto streams = fleet_->Streams();
  const std::vector<View> views = Views(*streams);

  auto up = out.Gauge("stream_up", kStreamUpHelp);
  std::size_t active = 0;
  for (const View& v : views) {
    const auto rtsp = v.RtspUp();
    const auto hls = v.HlsUp();
    if (rtsp) up.Add({{"camera_id", v.id()}, {"protocol", "rtsp"}}, *rtsp ? 1 : 0);
    if (hls) up.Add({{"camera_id", v.id()}, {"protocol", "hls"}}, *hls ? 1 : 0);
    if (rtsp.value_or(false) || hls.value_or(false)) ++active;
  }
  out.Gauge("active_streams", "Configured streams with a live edge: stream_up 1 on any protocol.")
      .Add({}, static_cast<double>(active));

  auto latency = out.Gauge(
      "stream_latency_seconds",
      std::string("HLS: now minus the end of the newest segment (its start plus EXTINF), the "
                  "start from EXT-X-PROGRAM-DATE-TIME when the playlist has it (the encoder's "
                  "clock: negative when it runs ahead), else the newest segment file's "
                  "modification time (the packager's clock); the landing page says which. With "
                  "a master playlist, the worst variant. RTSP: not measured.") +
          kHlsNote);
  for (const View& v : views) {
    if (auto l = v.HlsLatency()) latency.Add({{"camera_id", v.id()}, {"protocol", "hls"}}, *l);
  }

  // Per variant.
  auto age = out.Gauge("hls_playlist_age_seconds",
                       std::string("Seconds since the playlist's newest media sequence number last "
                                   "went up (a new segment was listed).") +
                           kHlsNote);
  auto target =
      out.Gauge("hls_target_duration_seconds",
                std::string("EXT-X-TARGETDURATION of the variant's media playlist.") + kHlsNote);
  auto part_age = out.Gauge("hls_part_age_seconds",
                            std::string("LL-HLS: age of the newest EXT-X-PART, from its "
                                        "PROGRAM-DATE-TIME, else from when it was first seen.") +
                                kHlsNote);
  auto bytes = out.Counter("stream_encoded_bytes_total",
                           std::string("Bytes of the new segments each variant listed (file size, "
                                       "or Content-Length of a HEAD); bitrate = rate x 8.") +
                               kHlsNote);
  auto segments = out.Counter("hls_segments_total",
                              std::string("New segments each variant listed.") + kHlsNote);
  for (const View& v : views) {
    if (!v.hls) continue;
    for (const HlsVariantStatus& var : v.hls->variants) {
      const std::initializer_list<Label> labels{{"camera_id", v.id()}, {"quality", var.quality}};
      const HlsStreamState& st = var.state;
      if (st.playlist_age_seconds) age.Add(labels, *st.playlist_age_seconds);
      if (st.has_playlist) target.Add(labels, static_cast<double>(st.target_duration));
      if (st.newest_part_age_seconds) part_age.Add(labels, *st.newest_part_age_seconds);
      bytes.Add(labels, static_cast<double>(st.encoded_bytes_total));
      segments.Add(labels, static_cast<double>(st.segments_total));
    }
  }

  auto errors = out.Counter(
      "hls_playlist_errors_total",
      std::string("Playlist problems by kind, over the stream's variants: "
                  "media_sequence_backwards, discontinuity_miscount, playlist_shrank, "
                  "segment_over_target (RFC 8216 rules broken), stale (no new segment for 3 "
                  "target durations, once per stall), parse (did not parse), fetch (could not "
                  "be read: missing, refused, timed out).") +
          kHlsNote);
  for (const View& v : views) {
    if (!v.stream->hls) continue;
    std::array<std::uint64_t, hls::kPlaylistErrorKinds> kinds{};
    std::uint64_t fetch = 0;
    if (v.hls) {
      for (const auto& var : v.hls->variants) {
        for (std::size_t k = 0; k < kinds.size(); ++k) kinds[k] += var.state.errors[k];
      }
      kinds[static_cast<std::size_t>(PlaylistError::kParse)] += v.hls->master_parse_errors_total;
      fetch = v.hls->fetch_errors_total;
    }
    for (std::size_t k = 0; k < kinds.size(); ++k) {
      errors.Add(
          {{"camera_id", v.id()}, {"kind", hls::PlaylistErrorName(static_cast<PlaylistError>(k))}},
          static_cast<double>(kinds[k]));
    }
    errors.Add({{"camera_id", v.id()}, {"kind", "fetch"}}, static_cast<double>(fetch));
  }
  return Status::Ok();
}

void StreamCollector::AppendStatus(std::vector<StatusTable>& tables) const {
  StatusTable& t = tables.emplace_back();
  t.title = "Streams";
  t.columns = {"camera", "rtsp", "hls", "latency", "variants", "hls viewers", "note"};
  const auto streams = fleet_->Streams();
  const auto targets = TargetDurations(*streams);
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  for (const View& v : Views(*streams)) {
    std::string rtsp = "-";
    if (v.stream->rtsp) {
      rtsp = v.stream->rtsp_shown + ": " +
             (v.rtsp ? std::string(CameraStateName(v.rtsp->state)) : "not probed yet");
    }
    std::string hls = "-";
    std::string latency = "-";
    std::string variants;
    std::string note = v.rtsp && !v.rtsp->error.empty() ? "rtsp: " + v.rtsp->error : "";
    if (v.stream->hls) {
      hls = !v.hls ? "not polled yet" : v.HlsUp().value_or(false) ? "up" : "down";
      if (auto l = v.HlsLatency()) latency = Fixed(*l, 2) + " s";
      if (v.hls) {
        for (const auto& var : v.hls->variants) {
          if (!variants.empty()) variants += "; ";
          variants += var.quality + " " +
                      (var.state.up      ? "up"
                       : var.state.ended ? "ended"
                                         : "down");
          if (var.state.latency_seconds) {
            variants += " (" + Fixed(*var.state.latency_seconds, 2) + " s from " +
                        std::string(hls::TimeSourceName(var.state.latency_source)) + ")";
          }
          if (!var.error.empty())
            note += (note.empty() ? "" : "; ") + var.quality + ": " + var.error;
        }
        if (!v.hls->error.empty()) note += (note.empty() ? "" : "; ") + v.hls->error;
      }
    }
    std::string viewers = "-";
    if (traffic_) {
      if (auto n = traffic_->HlsViewers(v.id(), now, targets)) viewers = std::to_string(*n);
    }
    t.rows.push_back({v.id(), rtsp, hls, latency, variants, viewers, note});
  }
}

}  // namespace vms::streaming_gateway
