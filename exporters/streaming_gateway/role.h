#pragma once

#include "vms/app/role.h"

namespace vms::streaming_gateway {

// Only the common sections so far; streams and access logs come with their
// collectors.
struct Config : CommonConfig {};

const RoleDefinition<Config>& Definition();

}  // namespace vms::streaming_gateway
