#include "streaming_gateway/role.h"

#include <memory>

#include "streaming_gateway/janus_collector.h"
#include "streaming_gateway/mediamtx_collector.h"
#include "streaming_gateway/mediamtx_poller.h"
#include "streaming_gateway/stream_collector.h"
#include "streaming_gateway/traffic_collector.h"
#include "vms/app/exporter_runtime.h"
#include "vms/logtail/log_file_collector.h"

namespace vms::streaming_gateway {
namespace {

void ParseOwn(MapReader& root, Config& config) {
  config.streams = ParseStreams(root, config.probes);
  config.access_logs = ParseGatewayAccessLogs(root);
  config.limits = ParseTrafficLimits(root.Map("limits"));
  config.mediamtx = ParseMediaMtx(root, config.probes);
  config.janus = ParseJanus(root);
}

std::vector<std::string> CameraIds(const Config& config) {
  std::vector<std::string> ids;
  for (const auto& s : config.streams) ids.push_back(s.camera_id);
  return ids;
}

// What the gateway's collectors share, made by whichever is built first and
// configured at every load.
struct Parts {
  std::shared_ptr<StreamFleet> fleet;
  // camera_id values from every source, bounded together by limits.camera_ids.
  std::shared_ptr<CameraIdCap> cap = std::make_shared<CameraIdCap>(TrafficLimits{}.camera_ids);
  std::shared_ptr<GatewayTraffic> traffic = std::make_shared<GatewayTraffic>(cap);
  std::shared_ptr<GatewayAccessLogs> logs = std::make_shared<GatewayAccessLogs>(traffic);
};

std::vector<CollectorSpec<RoleDeps<Config>>> OwnCollectors() {
  using Deps = RoleDeps<Config>;
  auto parts = std::make_shared<std::shared_ptr<Parts>>();
  auto shared = [parts](Deps& d) -> Parts& {
    if (!*parts) {
      *parts = std::make_shared<Parts>();
      (*parts)->fleet = std::make_shared<StreamFleet>(d.runtime.io());
      d.config.Subscribe([p = parts->get()](const Config& cfg) {
        p->fleet->Apply(cfg.streams, cfg.probes.concurrency);
        p->cap->Configure(CameraIds(cfg), cfg.limits.camera_ids);
        p->traffic->Configure(CameraIds(cfg), cfg.limits);
        p->logs->Apply(cfg.access_logs);
      });
    }
    return **parts;
  };
  return {
      {"streams", "Restreams: RTSP probes and HLS playlists (live edge, latency, errors)", true,
       [shared](Deps& d) {
         Parts& p = shared(d);
         return std::make_unique<StreamCollector>(p.fleet, p.traffic);
       }},
      {"traffic", "Viewers, requests, bytes and WebRTC attempts from the access logs", true,
       [shared](Deps& d) {
         Parts& p = shared(d);
         return std::make_unique<TrafficCollector>(p.traffic, p.fleet);
       }},
      {"access_log", "The access logs followed: lines, parse errors, lag, rotations", true,
       [shared](Deps& d) {
         return std::make_unique<LogFileCollector>(
             "access_log", [logs = shared(d).logs] { return logs->Stats(); });
       }},
      {"mediamtx", "Streams, viewers and WebRTC sessions from MediaMTX's control API (mediamtx:)",
       true,
       [shared](Deps& d) {
         Parts& p = shared(d);
         auto c = std::make_unique<MediaMtxCollector>(p.cap);
         d.config.Subscribe([raw = c.get(), fleet = p.fleet, &io = d.runtime.io(),
                             polled = std::make_shared<MediaMtxConfig>()](const Config& cfg) {
           raw->Apply(cfg.mediamtx);
           // An unchanged section keeps its poller (and a poll in flight).
           if (cfg.mediamtx == *polled) return;
           *polled = cfg.mediamtx;
           fleet->SetSourceProbe(
               "mediamtx",
               cfg.mediamtx.enabled
                   ? std::make_shared<MediaMtxPoller>(io, cfg.mediamtx, raw->Sink())
                   : nullptr,
               {cfg.mediamtx.interval, cfg.mediamtx.timeout});
         });
         return c;
       }},
      {"janus", "WebRTC connections through Janus, from its event handler's posts (janus:)", true,
       [shared](Deps& d) {
         auto c = std::make_unique<JanusCollector>(d.runtime.io(), shared(d).cap);
         d.config.Subscribe([raw = c.get()](const Config& cfg) { raw->Apply(cfg.janus); });
         return c;
       }},
  };
}

}  // namespace

const RoleDefinition<Config>& Definition() {
  static const RoleDefinition<Config> role{
      .info = {"streaming_gateway", "streaming_gateway_exporter", ":9091",
               "Prometheus exporter for VMS streaming gateways: restreams (RTSP, HLS), viewers "
               "and traffic from the access logs, MediaMTX and Janus, disks, NICs"},
      .own_default_config =
          "# No streams and no access logs: list them under streams: (camera_id, rtsp, hls)\n"
          "# and access_logs: (path, format, camera_id).\n",
      .parse_own = ParseOwn,
      .own_collectors = OwnCollectors,
  };
  return role;
}

}  // namespace vms::streaming_gateway
