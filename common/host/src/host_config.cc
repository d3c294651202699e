#include "vms/host/host_config.h"

#include <set>

namespace vms {

HostConfig ParseHostConfig(MapReader map) {
  HostConfig c;
  {
    MapReader m = map.Map("disk_space");
    c.disk_space.mount_timeout =
        m.Duration("mount_timeout", c.disk_space.mount_timeout, std::chrono::milliseconds(1),
                   std::chrono::minutes(10));
    c.disk_space.mount_points_exclude =
        m.Regex("mount_points_exclude", c.disk_space.mount_points_exclude);
    c.disk_space.fs_types_exclude = m.Regex("fs_types_exclude", c.disk_space.fs_types_exclude);
    m.Finish();
  }
  {
    MapReader m = map.Map("disk_io");
    c.disk_io.devices_include = m.Regex("devices_include", c.disk_io.devices_include);
    c.disk_io.devices_exclude = m.Regex("devices_exclude", c.disk_io.devices_exclude);
    m.Finish();
  }
  {
    MapReader m = map.Map("network");
    c.network.interfaces_exclude = m.Regex("interfaces_exclude", c.network.interfaces_exclude);
    m.Finish();
  }
  std::set<std::string> names;
  map.Each("services", [&](MapReader& m) {
    ProcessGroupConfig g;
    g.name = m.String("name");
    g.comm = m.Regex("comm", "");
    g.exe = m.Regex("exe", "");
    g.cmdline = m.Regex("cmdline", "");
    m.Finish();  // a misspelt key explains more than "needs at least one"
    if (g.comm.empty() && g.exe.empty() && g.cmdline.empty()) {
      m.Fail("", "needs at least one of comm, exe, cmdline");
    }
    if (!names.insert(g.name).second) m.Fail("name", "duplicate service name \"" + g.name + "\"");
    c.services.push_back(std::move(g));
  });
  map.Finish();
  return c;
}

}  // namespace vms
