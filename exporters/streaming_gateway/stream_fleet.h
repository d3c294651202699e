#pragma once

#include <boost/asio/io_context.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "streaming_gateway/hls_fetcher.h"
#include "streaming_gateway/hls_probe.h"
#include "streaming_gateway/stream_config.h"
#include "vms/probe/blocking_runner.h"
#include "vms/probe/probe_scheduler.h"
#include "vms/rtsp/rtsp_probe.h"

namespace vms::streaming_gateway {

// One camera's restreams as the collectors see them. Immutable once
// published; a config change publishes a new one.
struct Stream {
  StreamConfig config;
  std::string rtsp_shown;           // redacted restream URL, for the landing page
  std::shared_ptr<RtspProbe> rtsp;  // null without an rtsp restream
  std::shared_ptr<HlsProbe> hls;    // null without an hls playlist
};
using StreamList = std::vector<std::shared_ptr<const Stream>>;

// The gateway's configured streams and their probes: an RtspProbe
// (OPTIONS + DESCRIBE, no PLAY) and an HlsProbe each, on one ProbeScheduler.
// Local playlists are read on a BlockingRunner, never on the event loop.
// Apply() runs on the io_context's thread; Streams() from any thread.
class StreamFleet {
 public:
  explicit StreamFleet(boost::asio::io_context& io);
  ~StreamFleet();

  void Apply(const std::vector<StreamConfig>& streams, int probe_concurrency);
  std::shared_ptr<const StreamList> Streams() const;

  // A probe of another of the gateway's sources (MediaMTX's control API),
  // on the same scheduler and concurrency limit as the restreams; a null
  // probe removes the one named. On the io_context's thread.
  void SetSourceProbe(const std::string& name, std::shared_ptr<Probe> probe,
                      ProbeSchedule schedule);

 private:
  struct Entry {
    std::shared_ptr<const Stream> stream;
    ProbeScheduler::Id rtsp_id = 0;
    ProbeScheduler::Id hls_id = 0;
  };
  void Schedule(Entry& entry);
  std::shared_ptr<HlsFetcher> FetcherFor(const std::string& location);

  boost::asio::io_context& io_;
  BlockingRunner files_;
  std::shared_ptr<HlsFetcher> file_fetcher_;
  std::shared_ptr<HlsFetcher> http_fetcher_;
  std::unique_ptr<ProbeScheduler> scheduler_;
  int probe_concurrency_ = 0;
  std::map<std::string, Entry> entries_;  // by camera_id; io thread only
  struct SourceProbe {
    std::shared_ptr<Probe> probe;
    ProbeSchedule schedule;
    ProbeScheduler::Id id = 0;
  };
  std::map<std::string, SourceProbe> sources_;  // by name; io thread only

  mutable std::mutex mu_;
  std::shared_ptr<const StreamList> published_;  // guarded by mu_
};

}  // namespace vms::streaming_gateway
