#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "vms/config/probe_defaults.h"
#include "vms/config/yaml_reader.h"
#include "vms/host/host_config.h"

namespace vms::recording_node {

// One camera of the node's inventory. The password is read from
// password_file when the config loads and is never logged, labelled or shown.
struct CameraConfig {
  std::string id;             // the camera_id label
  std::string url;            // rtsp://, without credentials
  std::string username;
  std::string password;
  std::string recording_dir;  // where the recorder writes this camera's segments
  std::string recorder_match; // regex on a recorder's command line; see RecorderPattern()
  std::chrono::milliseconds probe_interval{10'000};
  std::chrono::milliseconds probe_timeout{5'000};
  bool discovered = false;    // from a running recorder, not from the config file

  bool operator==(const CameraConfig&) const = default;
};

struct RecordingsConfig {
  std::chrono::milliseconds scan_interval{5'000};
};

// `cameras:` (a list). Relative password_file paths are relative to the
// directory of `file`. Throws ConfigError.
std::vector<CameraConfig> ParseCameras(MapReader& root, const std::string& file,
                                       const ProbeDefaults& defaults);
RecordingsConfig ParseRecordings(MapReader map);

// The rule that finds this camera's recorder among processes: the
// configured recorder_match (a regex on the command line), else an ffmpeg
// whose command line holds the camera's URL (host and path, with or without
// credentials) or its recording directory.
ProcessGroupConfig RecorderRule(const CameraConfig& camera);

// A camera found in a running recorder's command line (zero-config mode).
struct DiscoveredCamera {
  std::string id;
  std::string url;  // as the recorder has it, credentials included: redact before showing
  std::string recording_dir;
};

// Reads an ffmpeg command line (argv): the RTSP input after -i and the output
// (the last argument) give the URL and recording directory. The camera_id is
// the recording directory's last component (".../recordings/cam1/%Y%m%d.ts"
// → "cam1"); when the output has no directory of its own, the URL's host and
// path with every character outside [A-Za-z0-9_-] replaced by '_'
// ("rtsp://10.0.0.5/Streaming/101" → "10_0_0_5_Streaming_101").
std::optional<DiscoveredCamera> DiscoverFromCommandLine(const std::vector<std::string>& argv);

}  // namespace vms::recording_node
