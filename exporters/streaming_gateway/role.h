#pragma once

#include "streaming_gateway/janus_config.h"
#include "streaming_gateway/mediamtx_config.h"
#include "vms/app/role.h"

namespace vms::streaming_gateway {

// Only the common sections so far; streams and access logs come with their
// collectors.
struct Config : CommonConfig {
  MediaMtxConfig mediamtx;  // `mediamtx:` MediaMTX's control API
  JanusConfig janus;        // `janus:` Janus' event handler posts
};

const RoleDefinition<Config>& Definition();

}  // namespace vms::streaming_gateway
