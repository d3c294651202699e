#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "vms/accesslog/access_record.h"
#include "vms/config/yaml_reader.h"
#include "vms/logtail/log_follower.h"

namespace vms {

// One access log a role reads: an item of its `access_logs:` list.
struct AccessLogSourceConfig {
  std::string path;
  AccessLogFormat format = AccessLogFormat::kVms;
  std::string name;  // the `file` label of the self metrics
  LogFollowerOptions follower;

  bool operator==(const AccessLogSourceConfig&) const = default;
};

// Reads the keys every role shares in an `access_logs:` item:
//
//   access_logs:
//     - path: /var/log/nginx/access.log   # required
//       format: vms                       # vms (default), combined or json:
//                                         #   deploy/nginx/vms-log-format.conf's
//                                         #   `vms`, nginx's `combined`, or
//                                         #   one JSON object a line (`vms_json`)
//       name: gateway                     # the `file` label of
//                                         #   vms_exporter_log_*; default: path
//       max_line_bytes: 16384             # longer lines are counted and skipped
//                                         #   (256 .. 1048576; default 16 KiB)
//       start_at: end                     # end (default) or beginning: where a
//                                         #   first start (no checkpoint) reads
//       poll_interval: 1s                 # look without an inotify event (NFS)
//                                         #   (10ms .. 1m)
//       state_dir: /var/lib/...           # checkpoint directory; "" = none, so
//                                         #   a restart starts at the end again.
//                                         #   Default: the role's
//       checkpoint_interval: 1s           # at most this often while lines flow
//                                         #   (and at rotations and stop)
//       rotate_wait: 5s                   # how long a rotated-away file is
//                                         #   still read after a new one appears
//
// It does not call m.Finish(): the role reads its own keys of the same item
// (a `camera_id:` regex, `routes:`) and MapReader::Each then finishes it.
// Throws ConfigError.
AccessLogSourceConfig ParseAccessLogSource(MapReader& m, const std::string& default_state_dir = "");

// The whole `key:` list of `parent`: each item through ParseAccessLogSource
// and then `role_keys` (with the item's index, for the role's own keys),
// refusing two sources of one name or one path (they would share a `file`
// label or a checkpoint). Throws ConfigError.
std::vector<AccessLogSourceConfig> ParseAccessLogSources(
    MapReader& parent, const std::string& key, const std::string& default_state_dir = "",
    const std::function<void(MapReader& item, std::size_t index)>& role_keys = {});

}  // namespace vms
