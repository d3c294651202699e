#include "libpq_params.h"

#include <arpa/inet.h>

namespace vms::pg::internal {
namespace {

// A path below /dev/null can never be a file: libpq's stat() fails and it
// reads nothing (an existing non-file would make it warn on stderr).
constexpr char kNoPassfile[] = "/dev/null/no-passfile";

void Set(Params& params, const char* key, std::string value) {
  for (auto& [k, v] : params) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  params.emplace_back(key, std::move(value));
}

}  // namespace

const std::string* FindParam(const Params& params, std::string_view key) {
  for (const auto& [k, v] : params) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::vector<std::string> SplitCommas(const std::string& list) {
  std::vector<std::string> items;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = list.find(',', start);
    items.push_back(list.substr(start, comma == std::string::npos ? comma : comma - start));
    if (comma == std::string::npos) return items;
    start = comma + 1;
  }
}

HostKind ClassifyHost(const std::string& host) {
  if (host.empty() || host.front() == '/' || host.front() == '@') return HostKind::kSocketDirectory;
  in6_addr addr;
  if (::inet_pton(AF_INET, host.c_str(), &addr) == 1 ||
      ::inet_pton(AF_INET6, host.c_str(), &addr) == 1) {
    return HostKind::kAddress;
  }
  return HostKind::kName;
}

Params LibpqParams(const Params& conninfo, const std::vector<std::string>& hosts,
                   const std::vector<std::vector<std::string>>& addresses,
                   const std::string& password) {
  Params params = conninfo;
  if (!hosts.empty()) {
    const std::string* port = FindParam(conninfo, "port");
    const std::vector<std::string> ports = port ? SplitCommas(*port) : std::vector<std::string>{};
    const bool per_host_ports = ports.size() > 1;
    std::string host_list, address_list, port_list;
    bool any_address = false;
    bool first = true;
    for (std::size_t i = 0; i < hosts.size() && i < addresses.size(); ++i) {
      for (const std::string& a : addresses[i]) {
        const std::string sep = first ? "" : ",";
        first = false;
        host_list += sep + hosts[i];
        address_list += sep + a;
        if (per_host_ports) port_list += sep + (i < ports.size() ? ports[i] : std::string());
        any_address = any_address || !a.empty();
      }
    }
    Set(params, "host", host_list);
    if (any_address) Set(params, "hostaddr", address_list);
    if (per_host_ports) Set(params, "port", port_list);
  }
  if (FindParam(params, "application_name") == nullptr) {
    params.emplace_back("application_name", "vms-exporters");
  }
  if (FindParam(params, "gssencmode") == nullptr) params.emplace_back("gssencmode", "disable");
  if (password.empty()) {
    params.emplace_back("passfile", kNoPassfile);
  } else {
    params.emplace_back("password", password);
  }
  return params;
}

}  // namespace vms::pg::internal
