#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "streaming_gateway/mediamtx_config.h"
#include "streaming_gateway/mediamtx_tracker.h"
#include "vms/base/status.h"
#include "vms/httpclient/http_exchange.h"
#include "vms/probe/probe_scheduler.h"

namespace vms::streaming_gateway {

// One poll of MediaMTX's control API per scheduler run: GET /v3/info,
// /v3/paths/list, /v3/hlsmuxers/list, /v3/{rtsp,rtsps,webrtc}sessions/list
// and /v3/{rtmp,rtmps,srt}conns/list, all at once, each list page after page
// (itemsPerPage, page from 0 to its pageCount). The pages are joined into
// one MediaMtxPoll, an item listed twice (it moved between pages while they
// were read) counted once, and handed to `sink`; the first request that
// fails ends the poll with an error that names the endpoint but never the
// credentials. MediaMTX answers 404 for the lists of servers it does not
// run (and v1.0 for /v3/info): those are empty, not failures; a 404 for
// /v3/paths/list is not MediaMTX. Start() and Cancel() on the io_context's
// thread, as is the sink.
class MediaMtxPoller : public Probe, public std::enable_shared_from_this<MediaMtxPoller> {
 public:
  using Sink = std::function<void(Result<MediaMtxPoll>)>;
  // More pages than this in one list is refused (a server that never ends).
  static constexpr std::size_t kMaxPages = 1000;

  MediaMtxPoller(boost::asio::io_context& io, MediaMtxConfig config, Sink sink);
  ~MediaMtxPoller() override;

  void Start(std::chrono::steady_clock::time_point deadline, std::function<void()> done) override;
  // At or after the deadline the poll fails as timed out; before it (the
  // poller was removed) nothing is published.
  void Cancel() override;

 private:
  void Fetch(std::size_t endpoint, std::size_t page);
  void OnAnswer(std::uint64_t run, std::size_t endpoint, std::size_t page, HttpClientResult r);
  // Whether the page was taken; `error` set otherwise.
  bool Take(std::size_t endpoint, std::size_t page, const std::string& body,
            std::size_t& page_count, std::string& error);
  void Finish(Result<MediaMtxPoll> poll);
  void StopExchanges();

  boost::asio::io_context& io_;
  const MediaMtxConfig config_;
  const Sink sink_;

  // io thread only.
  std::vector<std::unique_ptr<HttpExchange>> exchanges_;  // one per endpoint
  std::uint64_t run_ = 0;                                 // answers of an older run are dropped
  bool running_ = false;
  std::function<void()> done_;
  std::chrono::steady_clock::time_point deadline_{};
  std::size_t pending_ = 0;  // endpoints not finished in this run
  MediaMtxPoll poll_;
};

}  // namespace vms::streaming_gateway
