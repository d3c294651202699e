#pragma once

#include <string_view>

namespace vms::api_server {

// HELP of the families that several of the API server's collectors write
// (the access logs' requests, the health checks), told apart by labels.
// Collectors that write them return true from shares_families(), and the
// scrape writes each family once with the first writer's HELP: so the text
// is one, here, and says what each source means.

inline constexpr std::string_view kSeriesDroppedHelp =
    "Series not exported because a limit was reached, by reason and source (access_log: "
    "requests_cap, durations_cap, a new series beyond requests.max_series; health: "
    "health_check_cap, a check name in a health body beyond its target's max_checks, "
    "invalid_health_check, a name no label should hold, empty, over 64 bytes or with control "
    "characters, each name once).";

}  // namespace vms::api_server
