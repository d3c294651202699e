#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "vms/config/probe_defaults.h"
#include "vms/config/yaml_reader.h"

namespace vms::streaming_gateway {

// One camera's restreams as the gateway serves them. The RTSP password is
// read from rtsp_password_file and is never logged, labelled or shown.
struct StreamConfig {
  std::string camera_id;
  std::string rtsp;  // rtsp:// restream without credentials; "" when none
  std::string rtsp_username;
  std::string rtsp_password;
  std::chrono::milliseconds probe_interval{10'000};  // the RTSP probe's
  std::chrono::milliseconds probe_timeout{5'000};
  // A local file or an http(s) URL; a master or media playlist; "" when none.
  std::string hls;
  // HLS is polled more often than cameras are probed: a live edge moves
  // every segment (2-6 s), and staleness is 3 target durations.
  std::chrono::milliseconds hls_interval{2'000};
  std::chrono::milliseconds hls_timeout{2'000};

  bool operator==(const StreamConfig&) const = default;
};

// `streams:` (a list). Throws ConfigError.
std::vector<StreamConfig> ParseStreams(MapReader& root, const ProbeDefaults& defaults);

// True when `hls` names an http:// or https:// URL rather than a file.
bool IsHttpLocation(const std::string& hls);

}  // namespace vms::streaming_gateway
