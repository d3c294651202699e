// Every /proc parser on arbitrary text: the first byte picks the file
// (mountinfo, diskstats, net/dev, pid stat, /proc/stat, net/tcp, net/tcp6).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vms/procfs/diskstats.h"
#include "vms/procfs/mountinfo.h"
#include "vms/procfs/net_dev.h"
#include "vms/procfs/net_tcp.h"
#include "vms/procfs/pid_stat.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 7) {
    case 0:
      if (auto mounts = vms::ParseMountInfo(text); mounts.ok()) {
        for (const auto& m : *mounts) (void)vms::HasMountOption(m.mount_options, "ro");
      }
      break;
    case 1:
      (void)vms::ParseDiskStats(text);
      break;
    case 2:
      (void)vms::ParseNetDev(text);
      break;
    case 3:
      (void)vms::ParsePidStat(text);
      break;
    case 4:
      (void)vms::ParseBootTime(text);
      break;
    case 5:
    case 6: {
      const bool ipv6 = data[0] % 7 == 6;
      if (auto sockets = vms::ParseNetTcp(text, ipv6); sockets.ok()) {
        for (const auto& s : *sockets) {
          (void)vms::FormatAddress(s, true);
          (void)vms::FormatAddress(s, false);
        }
      }
      break;
    }
  }
  return 0;
}
