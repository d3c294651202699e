#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "vms/config/probe_defaults.h"
#include "vms/config/yaml_reader.h"

namespace vms::streaming_gateway {

// `mediamtx:` MediaMTX's control API (v3), polled in the background.
struct MediaMtxConfig {
  bool enabled = false;  // the section is present
  std::string url;       // http://127.0.0.1:9997, without credentials
  std::string username;  // basic auth, when MediaMTX's authInternalUsers asks for it
  std::string password;  // from password_file
  std::chrono::milliseconds interval{10'000};
  std::chrono::milliseconds timeout{5'000};
  std::string path_regex;  // camera_id from a path name (group 1); empty: the name
  std::size_t items_per_page = 100;

  bool operator==(const MediaMtxConfig&) const = default;
};

// Reads the `mediamtx:` section off the document root; absent: disabled.
// Throws ConfigError.
MediaMtxConfig ParseMediaMtx(MapReader& root, const ProbeDefaults& defaults);

}  // namespace vms::streaming_gateway
