#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "vms/metrics/metric_writer.h"

namespace vms::streaming_gateway {

// Bounds how many camera_id label values the gateway's sources may create:
// camera ids come from names other programs choose (MediaMTX paths, Janus
// handles), so a misconfigured or hostile peer could otherwise mint series
// without end. Ids are admitted first come, first served and stay admitted
// (their counters must stay monotonic); once `max_ids` are admitted, new ids
// are refused and counted per source. The configured streams' ids are always
// admitted and do not count against the limit. One per gateway, shared by
// every source (access logs, MediaMTX, Janus): limits.camera_ids bounds them
// all together. Thread-safe.
class CameraIdCap {
 public:
  explicit CameraIdCap(std::size_t max_ids) : max_ids_(max_ids) {}

  // True if `id` may have series: admitted already, or there is room.
  bool Admit(std::string_view id, std::string_view source);

  // At each config load: the configured streams' ids and the limit; ids
  // already admitted stay.
  void Configure(const std::vector<std::string>& configured, std::size_t max_ids);

  std::uint64_t dropped(std::string_view source) const;

  // vms_exporter_series_dropped_total{reason="camera_id_cap",source}.
  void WriteDropped(MetricWriter& out, std::string_view source) const;

 private:
  // Refused ids are counted once each while at most this many are
  // remembered; beyond, every refusal counts (a flood is still visible).
  static constexpr std::size_t kMaxRemembered = 4096;

  mutable std::mutex mu_;
  std::size_t max_ids_;                                        // guarded by mu_
  std::set<std::string, std::less<>> configured_;              // guarded by mu_
  std::set<std::string, std::less<>> admitted_;                // guarded by mu_
  std::set<std::string, std::less<>> refused_;                 // guarded by mu_
  std::map<std::string, std::uint64_t, std::less<>> dropped_;  // by source; guarded by mu_
};

// The help of vms_exporter_series_dropped_total, the same for every writer of
// the family.
inline constexpr std::string_view kSeriesDroppedHelp =
    "Series not exported because a limit was reached or a label value was unusable, by reason "
    "and source (camera_id_cap: a new camera_id beyond limits.camera_ids, each id once; "
    "invalid_camera_id: a value that is not a camera_id; clients_cap: a viewer beyond "
    "limits.clients).";

}  // namespace vms::streaming_gateway
