#pragma once

#include <cstddef>
#include <string>

#include "streaming_gateway/janus_tracker.h"
#include "vms/config/yaml_reader.h"

namespace vms::streaming_gateway {

// `janus:` Janus' HTTP event handler (sampleevh) posts its events to a
// loopback port of the exporter's own, not the metrics port.
struct JanusConfig {
  bool enabled = false;        // the section is present
  std::string listen_address;  // loopback only, e.g. 127.0.0.1:7188
  // Janus' backend_user / backend_pwd (basic auth), when set; the password
  // from password_file.
  std::string username;
  std::string password;
  std::size_t max_body_bytes = 1 << 20;  // one POST, as sent (compressed or not)
  JanusTrackerOptions tracker;

  bool operator==(const JanusConfig&) const = default;
};

// Reads the `janus:` section off the document root; absent: disabled.
// Throws ConfigError.
JanusConfig ParseJanus(MapReader& root);

}  // namespace vms::streaming_gateway
