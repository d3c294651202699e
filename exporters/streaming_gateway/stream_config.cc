#include "streaming_gateway/stream_config.h"

#include <algorithm>
#include <set>

#include "vms/base/url_credentials.h"
#include "vms/config/camera_id.h"

namespace vms::streaming_gateway {

bool IsHttpLocation(const std::string& hls) {
  return hls.starts_with("http://") || hls.starts_with("https://");
}

std::vector<StreamConfig> ParseStreams(MapReader& root, const ProbeDefaults& defaults) {
  std::vector<StreamConfig> streams;
  std::set<std::string> ids;
  root.Each("streams", [&](MapReader& m) {
    StreamConfig s;
    s.camera_id = ReadCameraId(m, "camera_id");
    if (!ids.insert(s.camera_id).second) {
      m.Fail("camera_id", "duplicate camera_id \"" + s.camera_id + "\"");
    }
    s.rtsp = m.String("rtsp", "");
    if (!s.rtsp.empty()) {
      if (!s.rtsp.starts_with("rtsp://")) m.Fail("rtsp", "must start with rtsp://");
      // Never echoed: it may hold a password.
      const UrlCredentials split = SplitUrlCredentials(s.rtsp);
      if (!split.password.empty()) {
        m.Fail("rtsp", "holds a password; give rtsp_username and rtsp_password_file instead");
      }
      s.rtsp = split.url;
      s.rtsp_username = m.String("rtsp_username", split.user);
      s.rtsp_password = m.SecretFile("rtsp_password_file");
    }
    s.probe_interval =
        m.Duration("probe_interval", defaults.interval, kMinProbeInterval, kMaxProbeInterval);
    s.probe_timeout =
        m.Duration("probe_timeout", defaults.timeout, kMinProbeTimeout, kMaxProbeInterval);
    if (s.probe_timeout > s.probe_interval) {
      m.Fail("probe_timeout", "must not exceed probe_interval");
    }
    s.hls = m.String("hls", "");
    if (!s.hls.empty()) {
      if (IsHttpLocation(s.hls)) {
        if (!SplitUrlCredentials(s.hls).password.empty()) {
          m.Fail("hls", "holds a password; HLS URLs with credentials are not supported");
        }
      } else if (s.hls.find("://") != std::string::npos) {
        m.Fail("hls", "must be a file path or an http:// or https:// URL");
      } else if (s.hls.front() != '/') {
        m.Fail("hls", "a file path must be absolute");
      }
    }
    s.hls_interval = m.Duration("hls_interval", s.hls_interval, std::chrono::milliseconds(200),
                                std::chrono::minutes(10));
    s.hls_timeout = m.Duration("hls_timeout", std::min(defaults.timeout, s.hls_interval),
                               kMinProbeTimeout, kMaxProbeInterval);
    if (s.hls_timeout > s.hls_interval) m.Fail("hls_timeout", "must not exceed hls_interval");
    if (s.rtsp.empty() && s.hls.empty()) m.Fail("", "needs rtsp, hls or both");
    streams.push_back(std::move(s));
  });
  return streams;
}

}  // namespace vms::streaming_gateway
