#include "streaming_gateway/role.h"

#include <memory>

#include "streaming_gateway/janus_collector.h"
#include "streaming_gateway/mediamtx_collector.h"
#include "vms/app/exporter_runtime.h"

namespace vms::streaming_gateway {
namespace {

void ParseOwn(MapReader& root, Config& config) {
  config.mediamtx = ParseMediaMtx(root, config.probes);
  config.janus = ParseJanus(root);
}

std::vector<CollectorSpec<RoleDeps<Config>>> OwnCollectors() {
  using Deps = RoleDeps<Config>;
  return {
      {"mediamtx", "Streams, viewers and WebRTC sessions from MediaMTX's control API (mediamtx:)",
       true,
       [](Deps& d) {
         auto c = std::make_unique<MediaMtxCollector>();
         d.config.Subscribe([raw = c.get()](const Config& cfg) { raw->Apply(cfg.mediamtx); });
         return c;
       }},
      {"janus", "WebRTC connections through Janus, from its event handler's posts (janus:)", true,
       [](Deps& d) {
         auto c = std::make_unique<JanusCollector>(d.runtime.io());
         d.config.Subscribe([raw = c.get()](const Config& cfg) { raw->Apply(cfg.janus); });
         return c;
       }},
  };
}

}  // namespace

const RoleDefinition<Config>& Definition() {
  static const RoleDefinition<Config> role{
      .info = {"streaming_gateway", "streaming_gateway_exporter", ":9091",
               "Prometheus exporter for VMS streaming gateways (so far: disks, NICs, service "
               "processes)"},
      .own_default_config = {},
      .parse_own = ParseOwn,
      .own_collectors = OwnCollectors,
  };
  return role;
}

}  // namespace vms::streaming_gateway
