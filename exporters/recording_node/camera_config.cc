#include "recording_node/camera_config.h"

#include <filesystem>
#include <set>

#include "vms/base/file.h"
#include "vms/base/url_credentials.h"
#include "vms/config/camera_id.h"

namespace vms::recording_node {
namespace {

bool IsRtspUrl(const std::string& s) { return s.starts_with("rtsp://") || s.starts_with("rtsps://"); }

// "rtsp://host:554/a/b?x" → "host:554/a/b?x" (authority and path, no scheme).
std::string HostAndPath(const std::string& url) {
  const auto scheme = url.find("://");
  return scheme == std::string::npos ? url : url.substr(scheme + 3);
}

}  // namespace

std::vector<CameraConfig> ParseCameras(MapReader& root, const std::string& file,
                                       const ProbeDefaults& defaults) {
  std::vector<CameraConfig> cameras;
  std::set<std::string> ids;
  const std::filesystem::path base = std::filesystem::path(file).parent_path();
  root.Each("cameras", [&](MapReader& m) {
    CameraConfig c;
    c.id = ReadCameraId(m, "id");
    if (!ids.insert(c.id).second) m.Fail("id", "duplicate camera id \"" + c.id + "\"");
    c.url = m.String("url");
    if (!c.url.starts_with("rtsp://")) {
      // The probe speaks plain RTSP; RTSPS (RTSP over TLS) is not supported yet.
      m.Fail("url", "must start with rtsp://");
    }
    // The URL is never echoed in an error: it may hold a password.
    const UrlCredentials split = SplitUrlCredentials(c.url);
    if (!split.password.empty()) {
      m.Fail("url", "holds a password; give username and password_file instead");
    }
    c.url = split.url;
    c.username = m.String("username", split.user);
    if (m.Has("password")) m.Fail("password", "inline passwords are not accepted; use password_file");
    c.password = m.SecretFile("password_file");
    c.recording_dir = m.String("recording_dir", "");
    c.recorder_match = m.Regex("recorder_match", "");
    c.probe_interval =
        m.Duration("probe_interval", defaults.interval, kMinProbeInterval, kMaxProbeInterval);
    c.probe_timeout =
        m.Duration("probe_timeout", defaults.timeout, kMinProbeTimeout, kMaxProbeInterval);
    if (c.probe_timeout > c.probe_interval) {
      m.Fail("probe_timeout", "must not exceed probe_interval");
    }
    cameras.push_back(std::move(c));
  });
  return cameras;
}

RecordingsConfig ParseRecordings(MapReader map) {
  RecordingsConfig r;
  r.scan_interval = map.Duration("scan_interval", r.scan_interval, std::chrono::milliseconds(500),
                                 std::chrono::hours(1));
  map.Finish();
  return r;
}

ProcessGroupConfig RecorderRule(const CameraConfig& camera) {
  ProcessGroupConfig g;
  g.name = camera.id;
  if (!camera.recorder_match.empty()) {
    g.cmdline = camera.recorder_match;
    return g;
  }
  g.comm = "^ffmpeg$";
  // The recorder's URL may carry credentials the config does not, so match
  // host and path after the scheme and any userinfo.
  g.cmdline_words.push_back(HostAndPath(camera.url));
  if (!camera.recording_dir.empty()) {
    std::string dir = camera.recording_dir;
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    g.cmdline_substrings.push_back(dir + "/");
  }
  return g;
}

std::optional<DiscoveredCamera> DiscoverFromCommandLine(const std::vector<std::string>& argv) {
  if (argv.size() < 3) return std::nullopt;
  const std::string program = std::filesystem::path(argv[0]).filename().string();
  if (program != "ffmpeg") return std::nullopt;
  DiscoveredCamera cam;
  for (std::size_t i = 1; i + 1 < argv.size(); ++i) {
    if (argv[i] == "-i" && IsRtspUrl(argv[i + 1])) {
      cam.url = argv[i + 1];
      break;
    }
  }
  if (cam.url.empty()) return std::nullopt;
  const std::string& output = argv.back();
  if (output.empty() || output[0] == '-' || output == cam.url) return std::nullopt;
  const std::filesystem::path out_path(output);
  if (out_path.has_parent_path() && out_path.parent_path() != "/") {
    cam.recording_dir = out_path.parent_path().string();
    cam.id = out_path.parent_path().filename().string();
  }
  if (!IsCameraId(cam.id)) {
    std::string host_path = HostAndPath(SplitUrlCredentials(cam.url).url);
    for (char& c : host_path) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') c = '_';
    }
    while (!host_path.empty() && host_path.back() == '_') host_path.pop_back();
    cam.id = host_path.substr(0, 128);
  }
  return cam;
}

}  // namespace vms::recording_node
