#include "vms/host/network_collector.h"

#include <charconv>
#include <optional>
#include <vector>

#include "vms/base/file.h"
#include "vms/procfs/net_dev.h"

namespace vms {
namespace {

struct Interface {
  NetDevStats counters;
  std::optional<bool> up;
  std::optional<double> speed_bytes;
};

std::string_view TrimNewline(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
  return s;
}

std::optional<bool> ReadOperUp(const std::string& sysfs, const std::string& iface) {
  auto text = ReadFile(JoinRoot(sysfs, "/class/net/" + iface + "/operstate"));
  if (!text) return std::nullopt;
  return TrimNewline(*text) == "up";
}

std::optional<double> ReadSpeedBytes(const std::string& sysfs, const std::string& iface) {
  auto text = ReadFile(JoinRoot(sysfs, "/class/net/" + iface + "/speed"));
  if (!text) return std::nullopt;
  const std::string_view s = TrimNewline(*text);
  long long mbits = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), mbits);
  if (ec != std::errc() || ptr != s.data() + s.size() || mbits < 0) return std::nullopt;
  return static_cast<double>(mbits) * 1e6 / 8;
}

}  // namespace

NetworkCollector::NetworkCollector(std::string procfs_root, std::string sysfs_root)
    : procfs_root_(std::move(procfs_root)), sysfs_root_(std::move(sysfs_root)) {
  Configure(NetworkConfig{});
}

void NetworkCollector::Configure(const NetworkConfig& config) {
  std::shared_ptr<const std::regex> exclude;
  if (!config.interfaces_exclude.empty()) {
    exclude = std::make_shared<const std::regex>(config.interfaces_exclude);
  }
  std::lock_guard lock(mu_);
  exclude_ = std::move(exclude);
}

std::shared_ptr<const std::regex> NetworkCollector::exclude() const {
  std::lock_guard lock(mu_);
  return exclude_;
}

Status NetworkCollector::Collect(const ScrapeContext& /*ctx*/, MetricWriter& out) {
  const std::string path = JoinRoot(procfs_root_, "/net/dev");
  auto text = ReadFile(path);
  if (!text) return text.status();
  auto parsed = ParseNetDev(*text);
  if (!parsed) return Status::Error(path + ": " + parsed.error());

  const auto exclude = this->exclude();
  std::vector<Interface> interfaces;
  interfaces.reserve(parsed->size());
  for (auto& counters : *parsed) {
    if (exclude && std::regex_search(counters.interface, *exclude)) continue;
    Interface& i = interfaces.emplace_back();
    i.up = ReadOperUp(sysfs_root_, counters.interface);
    i.speed_bytes = ReadSpeedBytes(sysfs_root_, counters.interface);
    i.counters = std::move(counters);
  }

  auto per_interface = [&](FamilyWriter family, auto value) {
    for (const auto& i : interfaces) {
      family.Add({{"interface", i.counters.interface}}, static_cast<double>(value(i.counters)));
    }
  };
  per_interface(out.Counter("network_bytes_received_total", "Bytes received by the interface."),
                [](const NetDevStats& s) { return s.receive_bytes; });
  per_interface(out.Counter("network_bytes_sent_total", "Bytes sent by the interface."),
                [](const NetDevStats& s) { return s.transmit_bytes; });
  per_interface(out.Counter("network_packets_received_total", "Packets received by the interface."),
                [](const NetDevStats& s) { return s.receive_packets; });
  per_interface(out.Counter("network_packets_sent_total", "Packets sent by the interface."),
                [](const NetDevStats& s) { return s.transmit_packets; });

  auto errors = out.Counter("network_errors_total",
                            "Receive and transmit errors of the interface, by direction.");
  auto drops =
      out.Counter("network_drops_total", "Packets dropped by the interface, by direction.");
  for (const auto& i : interfaces) {
    const auto& s = i.counters;
    errors.Add({{"interface", s.interface}, {"direction", "receive"}},
               static_cast<double>(s.receive_errors));
    errors.Add({{"interface", s.interface}, {"direction", "transmit"}},
               static_cast<double>(s.transmit_errors));
    drops.Add({{"interface", s.interface}, {"direction", "receive"}},
              static_cast<double>(s.receive_drops));
    drops.Add({{"interface", s.interface}, {"direction", "transmit"}},
              static_cast<double>(s.transmit_drops));
  }

  auto up = out.Gauge("network_up", "1 if the interface's operstate is up.");
  for (const auto& i : interfaces) {
    if (i.up) up.Add({{"interface", i.counters.interface}}, *i.up ? 1 : 0);
  }
  auto speed = out.Gauge("network_speed_bytes",
                         "Link speed in bytes per second; absent when the link is down or the "
                         "driver does not report it.");
  for (const auto& i : interfaces) {
    if (i.speed_bytes) speed.Add({{"interface", i.counters.interface}}, *i.speed_bytes);
  }
  return Status::Ok();
}

}  // namespace vms
