#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <mutex>
#include <string>

#include "streaming_gateway/camera_id_cap.h"
#include "streaming_gateway/janus_config.h"
#include "streaming_gateway/janus_receiver.h"
#include "streaming_gateway/janus_tracker.h"
#include "vms/metrics/collector.h"

namespace vms::streaming_gateway {

// WebRTC connections through Janus, from the events Janus' HTTP event
// handler posts to the receiver (`janus:` in the config). Every series has
// source="janus", so it never collides with the same metric from MediaMTX or
// the access log. Without a `janus:` section it writes nothing.
class JanusCollector : public Collector {
 public:
  // `cap` is the gateway's camera_id cap, shared with its other sources.
  JanusCollector(boost::asio::io_context& io, std::shared_ptr<CameraIdCap> cap);
  ~JanusCollector() override;

  // On the io_context's thread (config subscribers run there). A change of
  // the tracker's settings starts its counters over (logged); a change of
  // the listener's only restarts the listener.
  void Apply(const JanusConfig& config);

  std::string_view name() const override { return "janus"; }
  bool shares_families() const override { return true; }
  Status Collect(const ScrapeContext& ctx, MetricWriter& out) override;
  void AppendStatus(std::vector<StatusTable>& tables) const override;

  // The receiver's port (tests bind port 0); 0 when not listening.
  unsigned short port() const;

 private:
  // What a scrape reads; replaced whole by Apply().
  struct State {
    JanusConfig config;
    std::shared_ptr<CameraIdCap> cap;
    std::shared_ptr<JanusTracker> tracker;
    bool listening = false;
    unsigned short port = 0;
    std::string error;  // why it is not listening
  };
  std::shared_ptr<const State> Current() const;

  boost::asio::io_context& io_;
  // The listener, on the io_context's thread only: it is closed before a
  // new one binds the same address.
  std::shared_ptr<JanusReceiver> receiver_;
  mutable std::mutex mu_;
  std::shared_ptr<const State> state_;  // guarded by mu_
  const std::shared_ptr<CameraIdCap> cap_;
};

}  // namespace vms::streaming_gateway
