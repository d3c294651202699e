#pragma once

#include "vms/app/role.h"

namespace vms::api_server {

// Only the common sections so far; the access log, health probes, database
// and connection sections come with their collectors.
struct Config : CommonConfig {};

const RoleDefinition<Config>& Definition();

}  // namespace vms::api_server
