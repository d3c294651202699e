#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "vms/config/yaml_reader.h"

namespace vms {

// `host:` in every role's config: what the host collectors watch.
struct DiskSpaceConfig {
  std::chrono::milliseconds mount_timeout{5'000};
  std::string mount_points_exclude = "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+)($|/)";
  std::string fs_types_exclude =
      "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|"
      "iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|"
      "sysfs|tracefs)$";
};

struct DiskIoConfig {
  std::string devices_include;  // empty: all not excluded
  // Partitions, loop and ram devices are excluded by default: whole disks
  // (and dm, md, nvme namespaces) carry the load that matters.
  std::string devices_exclude = "^(ram|loop|fd|(h|s|v|xv)d[a-z]+|nvme\\d+n\\d+p)\\d+$";
};

struct NetworkConfig {
  std::string interfaces_exclude = "^(lo|veth.*|docker.*|br-.*)$";
};

// A named group of processes (`service_process_*{service}`); a process joins
// the group if every pattern given matches.
struct ProcessGroupConfig {
  std::string name;
  std::string comm;     // regex on /proc/PID/comm
  std::string exe;      // regex on the /proc/PID/exe link target
  std::string cmdline;  // regex on the NUL-joined-by-space command line
  // Literal alternatives to a `cmdline` regex, for rules made by the exporter
  // itself (one per camera: a compiled std::regex each is kilobytes and slow
  // to search): the command line matches when one of `cmdline_words` is a
  // whole argument or ends an argument right after '@' or '/' (a URL's host
  // and path, with or without scheme and credentials), or when one of
  // `cmdline_substrings` occurs anywhere in it.
  std::vector<std::string> cmdline_words;
  std::vector<std::string> cmdline_substrings;
};

struct HostConfig {
  DiskSpaceConfig disk_space;
  DiskIoConfig disk_io;
  NetworkConfig network;
  std::vector<ProcessGroupConfig> services;
};

HostConfig ParseHostConfig(MapReader map);

}  // namespace vms
