#include "recording_node/camera_collector.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <span>
#include <stdexcept>
#include <unordered_map>

#include "vms/metrics/exposition_text.h"
#include "vms/rtsp/rtsp_url.h"

namespace vms::recording_node {
namespace {

struct View {
  const Camera* camera;
  std::shared_ptr<const RtspProbeResult> probe;
  std::shared_ptr<const media::SegmentStats> segments;  // null without a recording dir
};

View MakeView(const Camera& camera, std::shared_ptr<const RtspProbeResult> probe,
              std::shared_ptr<const media::SegmentStats> segments) {
  if (camera.segments && !segments) {
    // Watched but not analysed yet: its counters are known to be 0.
    segments = std::make_shared<const media::SegmentStats>();
  }
  return {&camera, std::move(probe), std::move(segments)};
}

double UnixSeconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

std::string HostOf(const std::string& url) {
  auto parsed = ParseRtspUrl(url);
  return parsed ? parsed->host : "";
}

std::string Fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// The segment analysis as the landing page tells it: its last error (a
// directory that cannot be read, a segment that cannot be opened), or that
// it is behind, or when it last looked.
std::string RecordingNote(const Camera& camera, const media::SegmentStats* seg, double now) {
  if (!camera.segments) return "no recording_dir";
  if (seg == nullptr) return "not analysed yet";
  std::string note = seg->last_error.empty() ? "analysed" : "error: " + seg->last_error;
  if (seg->backlog) note += "; behind (byte budget reached)";
  note += "; " + Fixed(now - seg->last_pass_timestamp_seconds, 1) + " s ago";
  return note;
}

constexpr const char* kProbeNote = " Refreshed every probe_interval by a background RTSP probe.";
constexpr const char* kSegmentNote =
    " Measured from the recorded segments, refreshed every recordings.scan_interval.";

template <typename Fn>
void PerCamera(MetricWriter& out, std::span<const View> views, bool counter, const char* name,
               const std::string& help, Fn value) {
  auto family = counter ? out.Counter(name, help) : out.Gauge(name, help);
  for (const View& v : views) {
    if (auto x = value(v)) family.Add({{"camera_id", v.camera->config.id}}, *x);
  }
}

// The camera families, always all of them in this order, with a series per
// view (a family may be left without any).
void WriteCameraFamilies(std::span<const View> views, MetricWriter& out) {
  using Opt = std::optional<double>;

  auto info = out.Gauge("camera_info",
                        "Camera identity: 1, labelled with host, and the codec and size from the "
                        "last successful DESCRIBE.");
  for (const View& v : views) {
    const std::string width = v.probe ? std::to_string(v.probe->width) : "0";
    const std::string height = v.probe ? std::to_string(v.probe->height) : "0";
    const std::string codec = v.probe && !v.probe->codec.empty() ? v.probe->codec : "unknown";
    const std::string host = HostOf(v.camera->config.url);
    info.Add({{"camera_id", v.camera->config.id}, {"host", host}, {"codec", codec},
              {"width", width}, {"height", height}},
             1);
  }

  PerCamera(out, views, false, "camera_connection_status",
            std::string("1 if the last RTSP probe proved the stream (DESCRIBE 200 with a video "
                        "track), else 0.") + kProbeNote,
            [](const View& v) -> Opt {
              if (!v.probe) return std::nullopt;
              return v.probe->state == CameraState::kOk ? 1 : 0;
            });
  auto state = out.Gauge("camera_connection_state",
                         std::string("How the last RTSP probe ended, one-hot over the states.") +
                             kProbeNote);
  for (const View& v : views) {
    if (!v.probe) continue;
    for (CameraState s : kAllCameraStates) {
      state.Add({{"camera_id", v.camera->config.id}, {"state", CameraStateName(s)}},
                v.probe->state == s ? 1 : 0);
    }
  }
  PerCamera(out, views, false, "camera_rtsp_status_code",
            std::string("RTSP status of the last probe's last response, 0 when none came.") +
                kProbeNote,
            [](const View& v) -> Opt {
              return v.probe ? Opt(v.probe->rtsp_status) : std::nullopt;
            });
  PerCamera(out, views, false, "camera_probe_duration_seconds",
            std::string("Round trip of the last RTSP probe.") + kProbeNote,
            [](const View& v) -> Opt {
              return v.probe ? Opt(v.probe->duration.count()) : std::nullopt;
            });
  PerCamera(out, views, false, "camera_probe_timestamp_seconds",
            std::string("When the last RTSP probe finished, in Unix seconds.") + kProbeNote,
            [](const View& v) -> Opt {
              return v.probe ? Opt(UnixSeconds(v.probe->finished)) : std::nullopt;
            });
  PerCamera(out, views, true, "camera_probes_total", "RTSP probes made of the camera.",
            [](const View& v) -> Opt {
              return v.probe ? static_cast<double>(v.probe->probes_total) : 0.0;
            });
  PerCamera(out, views, true, "camera_probe_failures_total",
            "RTSP probes that did not prove the stream.", [](const View& v) -> Opt {
              return v.probe ? static_cast<double>(v.probe->failures_total) : 0.0;
            });

  // Recording truth, from the segments on disk.
  auto seg = [](auto fn) {
    return [fn](const View& v) -> Opt {
      if (!v.segments) return std::nullopt;
      return fn(*v.segments);
    };
  };
  using S = media::SegmentStats;
  PerCamera(out, views, false, "camera_fps",
            std::string("Recorded frames per second over the last analysed window.") +
                kSegmentNote,
            seg([](const S& s) -> Opt { return s.fps; }));
  PerCamera(out, views, true, "camera_frames_total", std::string("Video frames recorded.") + kSegmentNote,
            seg([](const S& s) -> Opt { return static_cast<double>(s.frames_total); }));
  PerCamera(out, views, true, "camera_bytes_total",
            std::string("Media bytes recorded (video and audio packets); bitrate = rate x 8.") +
                kSegmentNote,
            seg([](const S& s) -> Opt { return static_cast<double>(s.media_bytes_total); }));
  PerCamera(out, views, true, "camera_frames_dropped_total",
            std::string("Frames missing from the recording, from timestamp gaps.") + kSegmentNote,
            seg([](const S& s) -> Opt { return static_cast<double>(s.frames_dropped_total); }));
  PerCamera(out, views, true, "camera_corrupt_frames_total",
            std::string("Packets the demuxer flagged corrupt.") + kSegmentNote,
            seg([](const S& s) -> Opt { return static_cast<double>(s.corrupt_packets_total); }));
  PerCamera(out, views, false, "camera_last_frame_timestamp_seconds",
            std::string("Wall-clock time of the newest recorded frame, in Unix seconds.") +
                kSegmentNote,
            seg([](const S& s) -> Opt { return s.last_frame_timestamp_seconds; }));
  PerCamera(out, views, true, "recording_segments_total",
            std::string("Segments completed.") + kSegmentNote,
            seg([](const S& s) -> Opt { return static_cast<double>(s.segments_total); }));
  PerCamera(out, views, true, "recording_segments_unreadable_total",
            std::string("Segments that could not be read (zero-length, truncated, garbage).") +
                kSegmentNote,
            seg([](const S& s) -> Opt {
              return static_cast<double>(s.segments_unreadable_total);
            }));
  PerCamera(out, views, true, "recording_gap_seconds_total",
            std::string("Seconds of footage missing between consecutive segments.") + kSegmentNote,
            seg([](const S& s) -> Opt { return s.gap_seconds_total; }));
  PerCamera(out, views, false, "recording_storage_bytes",
            std::string("Bytes of the camera's segments on disk.") + kSegmentNote,
            seg([](const S& s) -> Opt { return static_cast<double>(s.storage_bytes); }));
  PerCamera(out, views, false, "recording_oldest_segment_timestamp_seconds",
            std::string("Start of the oldest segment on disk (retention depth), Unix seconds.") +
                kSegmentNote,
            seg([](const S& s) -> Opt { return s.oldest_segment_timestamp_seconds; }));
  auto durations = out.Histogram(
      "recording_segment_duration_seconds",
      std::string("Duration of completed segments; short or flapping segments show in the low "
                  "buckets.") + kSegmentNote);
  for (const View& v : views) {
    if (v.segments) {
      durations.AddHistogram({{"camera_id", v.camera->config.id}},
                             v.segments->DurationHistogram());
    }
  }
}

}  // namespace

Status CameraCollector::Collect(const ScrapeContext& /*ctx*/, MetricWriter& out) {
  const auto cameras = fleet_->Cameras();
  std::vector<View> views;
  views.reserve(cameras->size());
  for (const auto& c : *cameras) {
    views.push_back(MakeView(*c, c->probe->Latest(), c->segments ? c->segments->Read() : nullptr));
  }
  WriteCameraFamilies(views, out);
  return Status::Ok();
}

CameraCollector::CameraCollector(std::shared_ptr<CameraFleet> fleet) : fleet_(std::move(fleet)) {
  std::vector<prometheus::MetricFamily> families;
  MetricWriter writer(&families);
  WriteCameraFamilies({}, writer);
  for (const auto& family : families) headers_.push_back(FamilyHeaderText(family));
}

std::string_view CameraCollector::Text::Lines(std::size_t family, std::size_t first,
                                              std::size_t count) const {
  const std::size_t i = family * inputs.size() + first;
  const std::size_t begin = i == 0 ? 0 : ends[i - 1];
  return std::string_view(lines).substr(begin, ends[i + count - 1] - begin);
}

// Renders the lines of cameras whose inputs changed and copies the others'
// from the old text.
CameraCollector::Text CameraCollector::Rebuild(const Text& old, std::vector<Inputs> inputs) const {
  const std::size_t cameras = inputs.size();
  std::unordered_map<const Camera*, std::size_t> was;  // index in the old text
  for (std::size_t c = 0; c < old.inputs.size(); ++c) was.emplace(old.inputs[c].camera.get(), c);
  std::vector<std::optional<std::size_t>> kept(cameras);
  std::vector<SampleTexts> fresh(cameras);
  for (std::size_t c = 0; c < cameras; ++c) {
    const auto it = was.find(inputs[c].camera.get());
    if (it != was.end() && old.inputs[it->second] == inputs[c]) {
      kept[c] = it->second;
      continue;
    }
    const View view[] = {MakeView(*inputs[c].camera, inputs[c].probe, inputs[c].segments)};
    std::vector<prometheus::MetricFamily> families;
    MetricWriter writer(&families);
    WriteCameraFamilies(view, writer);
    fresh[c] = SampleTexts(families);
    if (fresh[c].size() != headers_.size()) {
      throw std::logic_error("camera families changed in number");
    }
  }
  Text text;
  text.lines.reserve(old.lines.size() + old.lines.size() / 16);
  text.ends.reserve(headers_.size() * cameras);
  for (std::size_t f = 0; f < headers_.size(); ++f) {
    for (std::size_t c = 0; c < cameras; ++c) {
      text.lines += kept[c] ? old.Lines(f, *kept[c], 1) : fresh[c][f];
      text.ends.push_back(text.lines.size());
    }
  }
  text.inputs = std::move(inputs);
  return text;
}

Status CameraCollector::CollectText(const ScrapeContext& /*ctx*/, std::string& out) {
  const auto cameras = fleet_->Cameras();
  std::vector<Inputs> inputs;
  inputs.reserve(cameras->size());
  for (const auto& c : *cameras) {
    inputs.push_back({c, c->probe->Latest(), c->segments ? c->segments->Read() : nullptr});
  }
  {
    std::lock_guard lock(text_mu_);
    if (inputs != text_.inputs) text_ = Rebuild(text_, std::move(inputs));
    if (!text_.inputs.empty()) {
      for (std::size_t f = 0; f < headers_.size(); ++f) {
        const std::string_view lines = text_.Lines(f, 0, text_.inputs.size());
        // A family without samples is left out, as CollectorSet leaves it out.
        if (lines.empty()) continue;
        out += headers_[f];
        out += lines;
      }
    }
  }
  return Status::Ok();
}

void CameraCollector::AppendStatus(std::vector<StatusTable>& tables) const {
  StatusTable& t = tables.emplace_back();
  t.title = "Cameras";
  t.columns = {"camera", "url", "state", "fps", "last frame age", "recorder", "probe",
               "recording"};
  const double now = UnixSeconds(std::chrono::system_clock::now());
  for (const auto& c : *fleet_->Cameras()) {
    const auto probe = c->probe->Latest();
    const auto seg = c->segments ? c->segments->Read() : nullptr;
    const auto recorder = fleet_->recorders().Stats(c->config.id);
    std::string age = "-";
    if (seg && seg->last_frame_timestamp_seconds) {
      age = Fixed(now - *seg->last_frame_timestamp_seconds, 1) + " s";
    }
    t.rows.push_back({c->config.id + (c->config.discovered ? " (discovered)" : ""),
                      c->redacted_url,
                      probe ? std::string(CameraStateName(probe->state)) : "not probed yet",
                      seg && seg->fps ? Fixed(*seg->fps, 2) : "-", age,
                      recorder ? (recorder->up ? "up" : "down") : "-",
                      probe ? probe->error : "", RecordingNote(*c, seg.get(), now)});
  }
}

}  // namespace vms::recording_node
