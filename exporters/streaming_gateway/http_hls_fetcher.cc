#include "streaming_gateway/http_hls_fetcher.h"

#include <time.h>

#include <boost/asio/post.hpp>

#include "vms/base/text.h"
#include "vms/base/url_credentials.h"
#include "vms/hls/playlist.h"

namespace vms::streaming_gateway {

std::optional<double> ParseHttpDate(std::string_view text) {
  // strptime reads month and day names in the C locale's English, as the
  // format requires; "GMT" is literal.
  if (text.size() != 29 || !text.ends_with(" GMT")) return std::nullopt;
  const std::string copy(text);
  struct tm tm {};
  const char* end = ::strptime(copy.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return static_cast<double>(::timegm(&tm));
}

void HttpHlsFetcher::Exchange(const std::string& method, const std::string& url,
                              Clock::time_point deadline,
                              std::function<void(HttpClientResult)> done) {
  HttpClientRequest request;
  request.method = method;
  request.url = url;
  request.deadline = deadline;
  request.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::max(deadline - Clock::now(), Clock::duration(std::chrono::milliseconds(1))));
  request.max_body_bytes = hls::kMaxPlaylistBytes;
  running_.push_back(std::make_unique<HttpExchange>(io_));
  auto it = std::prev(running_.end());
  (*it)->Start(std::move(request), [this, it, done = std::move(done)](HttpClientResult result) {
    // Not destroyed from inside its own callback: on the next turn, if the
    // fetcher is still there (its destructor abandons what still runs).
    boost::asio::post(io_, [this, it, alive = std::weak_ptr<char>(alive_)] {
      if (!alive.expired()) running_.erase(it);
    });
    done(std::move(result));
  });
}

void HttpHlsFetcher::FetchText(const std::string& location, Clock::time_point deadline,
                               TextDone done) {
  Exchange("GET", location, deadline, [location, done = std::move(done)](HttpClientResult r) {
    if (!r.ok()) return done(Status::Error(r.error));
    if (r.status != 200) {
      return done(
          Status::Error("GET " + RedactUrl(location) + ": HTTP " + std::to_string(r.status)));
    }
    done(std::move(r.body));
  });
}

void HttpHlsFetcher::FetchInfo(const std::vector<std::string>& locations,
                               Clock::time_point deadline, InfoDone done) {
  struct Pending {
    std::vector<ResourceInfo> infos;
    std::size_t left = 0;
    InfoDone done;
  };
  auto pending = std::make_shared<Pending>();
  pending->infos.resize(locations.size());
  pending->left = locations.size();
  pending->done = std::move(done);
  if (locations.empty()) return pending->done({});
  for (std::size_t i = 0; i < locations.size(); ++i) {
    Exchange("HEAD", locations[i], deadline, [pending, i](HttpClientResult r) {
      if (r.ok() && r.status == 200) {
        std::uint64_t size = 0;
        const auto length = r.headers.Get("Content-Length");
        if (length && ParseNumber(*length, size)) pending->infos[i].size = size;
        if (const auto modified = r.headers.Get("Last-Modified")) {
          pending->infos[i].mtime = ParseHttpDate(*modified);
        }
      }
      if (--pending->left == 0) pending->done(std::move(pending->infos));
    });
  }
}

}  // namespace vms::streaming_gateway
