#include "recording_node/role.h"

#include <memory>

#include "recording_node/camera_collector.h"
#include "recording_node/recorder_collector.h"
#include "vms/app/exporter_runtime.h"

namespace vms::recording_node {
namespace {

void ParseOwn(MapReader& root, Config& config) {
  config.cameras = ParseCameras(root, root.file(), config.probes);
  config.recordings = ParseRecordings(root.Map("recordings"));
}

// The cameras and recorders collectors share one fleet, made by whichever of
// them is built first (either one alone needs the cameras' list).
std::vector<CollectorSpec<RoleDeps<Config>>> OwnCollectors() {
  using Deps = RoleDeps<Config>;
  auto fleet = std::make_shared<std::shared_ptr<CameraFleet>>();
  auto shared_fleet = [fleet](Deps& d) {
    if (!*fleet) {
      *fleet = std::make_shared<CameraFleet>(d.runtime.io(), d.runtime.options().path_procfs);
      d.config.Subscribe([f = fleet->get()](const Config& cfg) {
        f->Apply({cfg.cameras, cfg.recordings, cfg.probes.concurrency});
      });
    }
    return *fleet;
  };
  return {
      {"cameras", "Cameras: RTSP probes and the recorded segments", true,
       [shared_fleet](Deps& d) { return std::make_unique<CameraCollector>(shared_fleet(d)); }},
      {"recorders", "The cameras' recorder processes (ffmpeg_process_*)", true,
       [shared_fleet](Deps& d) { return std::make_unique<RecorderCollector>(shared_fleet(d)); }},
  };
}

}  // namespace

const RoleDefinition<Config>& Definition() {
  static const RoleDefinition<Config> role{
      .info = {"recording_node", "recording_node_exporter", ":9090",
               "Prometheus exporter for VMS recording nodes: cameras, recorders, segments, "
               "disks, NICs"},
      .own_default_config =
          "# No cameras: they are discovered from the recorders running on "
          "the node.\n",
      .parse_own = ParseOwn,
      .own_collectors = OwnCollectors,
  };
  return role;
}

}  // namespace vms::recording_node
