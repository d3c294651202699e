#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vms::pg::internal {

using Params = std::vector<std::pair<std::string, std::string>>;

const std::string* FindParam(const Params& params, std::string_view key);

// libpq's comma-separated lists (host=a,b port=1,2): every item, empty ones
// too.
std::vector<std::string> SplitCommas(const std::string& list);

// What a `host` item needs before libpq may see it: libpq resolves a name
// with a blocking getaddrinfo, so names are resolved first (asynchronously)
// and handed over as hostaddr.
enum class HostKind {
  kSocketDirectory,  // "/run/postgresql", "@abstract", or empty (the default socket)
  kAddress,          // an IPv4 or IPv6 address
  kName,             // to be resolved
};
HostKind ClassifyHost(const std::string& host);

// The keywords and values for PQconnectStartParams. `conninfo` as parsed
// (ParseConninfo). When `hosts` is not empty (the conninfo's hosts, with
// `addresses[i]` those of hosts[i], "" for a socket directory), each host
// becomes one entry per address, with its hostaddr (and its port, when
// ports are listed per host), so libpq tries every address as it would
// after its own lookup. Then the password, or with none a passfile that
// cannot exist (no password may come from ~/.pgpass), and the defaults
// application_name=vms-exporters and gssencmode=disable (GSSAPI would look
// for Kerberos credentials, which can block).
Params LibpqParams(const Params& conninfo, const std::vector<std::string>& hosts,
                   const std::vector<std::vector<std::string>>& addresses,
                   const std::string& password);

}  // namespace vms::pg::internal
