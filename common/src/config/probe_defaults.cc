#include "vms/config/probe_defaults.h"

namespace vms {

ProbeDefaults ParseProbeDefaults(MapReader map) {
  ProbeDefaults d;
  d.interval = map.Duration("interval", d.interval);
  d.timeout = map.Duration("timeout", d.timeout);
  d.concurrency = static_cast<int>(map.Integer("concurrency", d.concurrency, 1, 1024));
  if (d.interval < std::chrono::milliseconds(100)) map.Fail("interval", "must be at least 100ms");
  if (d.timeout <= std::chrono::milliseconds(0)) map.Fail("timeout", "must be positive");
  if (d.timeout > d.interval) map.Fail("timeout", "must not exceed interval");
  map.Finish();
  return d;
}

}  // namespace vms
