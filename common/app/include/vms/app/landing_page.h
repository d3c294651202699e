#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vms/app/role_info.h"
#include "vms/metrics/collector.h"

namespace vms {

// The HTML page at "/": role, version, links and the status tables the
// role's collectors contribute. Every cell is escaped.
std::string RenderLandingPage(const RoleInfo& role, std::string_view telemetry_path,
                              const std::vector<StatusTable>& tables);

std::string HtmlEscape(std::string_view text);

}  // namespace vms
