#include "streaming_gateway/role.h"

#include <memory>

#include "streaming_gateway/stream_collector.h"
#include "vms/app/exporter_runtime.h"

namespace vms::streaming_gateway {
namespace {

void ParseOwn(MapReader& root, Config& config) {
  config.streams = ParseStreams(root, config.probes);
}

std::vector<CollectorSpec<RoleDeps<Config>>> OwnCollectors() {
  using Deps = RoleDeps<Config>;
  return {
      {"streams", "Restreams: RTSP probes and HLS playlists (live edge, latency, errors)", true,
       [](Deps& d) {
         auto fleet = std::make_shared<StreamFleet>(d.runtime.io());
         d.config.Subscribe([f = fleet.get()](const Config& cfg) {
           f->Apply(cfg.streams, cfg.probes.concurrency);
         });
         return std::make_unique<StreamCollector>(std::move(fleet));
       }},
  };
}

}  // namespace

const RoleDefinition<Config>& Definition() {
  static const RoleDefinition<Config> role{
      .info = {"streaming_gateway", "streaming_gateway_exporter", ":9091",
               "Prometheus exporter for VMS streaming gateways: restreams (RTSP, HLS), disks, "
               "NICs"},
      .own_default_config = "# No streams: list them under streams: (camera_id, rtsp, hls).\n",
      .parse_own = ParseOwn,
      .own_collectors = OwnCollectors,
  };
  return role;
}

}  // namespace vms::streaming_gateway
