#pragma once

#include <boost/asio/io_context.hpp>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "streaming_gateway/hls_fetcher.h"
#include "vms/httpclient/http_exchange.h"

namespace vms::streaming_gateway {

// Playlists served over HTTP(S) (a gateway's own nginx, MediaMTX's HLS
// server): GET for a playlist (200 only), HEAD for a new segment's size
// (Content-Length) and date (Last-Modified), each on the io_context with
// the probe's deadline. The system trust store verifies https.
class HttpHlsFetcher : public HlsFetcher {
 public:
  explicit HttpHlsFetcher(boost::asio::io_context& io) : io_(io) {}
  void FetchText(const std::string& location, Clock::time_point deadline, TextDone done) override;
  void FetchInfo(const std::vector<std::string>& locations, Clock::time_point deadline,
                 InfoDone done) override;

 private:
  // Starts one exchange; it is kept until its answer is in.
  void Exchange(const std::string& method, const std::string& url, Clock::time_point deadline,
                std::function<void(HttpClientResult)> done);

  boost::asio::io_context& io_;
  std::list<std::unique_ptr<HttpExchange>> running_;  // io thread only
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

// An HTTP-date (RFC 9110 5.6.7, the IMF-fixdate form: "Sun, 06 Nov 1994
// 08:49:37 GMT") in Unix seconds; nullopt for anything else.
std::optional<double> ParseHttpDate(std::string_view text);

}  // namespace vms::streaming_gateway
