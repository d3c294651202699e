#include "vms/config/probe_defaults.h"

namespace vms {

ProbeDefaults ParseProbeDefaults(MapReader map) {
  ProbeDefaults d;
  d.interval = map.Duration("interval", d.interval, kMinProbeInterval, kMaxProbeInterval);
  d.timeout = map.Duration("timeout", d.timeout, kMinProbeTimeout, kMaxProbeInterval);
  d.concurrency = static_cast<int>(map.Integer("concurrency", d.concurrency, 1, 1024));
  if (d.timeout > d.interval) map.Fail("timeout", "must not exceed interval");
  map.Finish();
  return d;
}

}  // namespace vms
