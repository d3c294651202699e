#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "http_connection.h"
#include "vms/httpclient/http_client_request.h"
#include "vms/httpclient/http_exchange.h"
#include "vms/httpclient/http_url.h"

namespace vms::internal {

// One HttpExchange::Start(): the request checked, then one connection per
// URL, following redirects within the one deadline. `on_done` runs at most
// once and never after Abandon().
class HttpRun : public std::enable_shared_from_this<HttpRun> {
 public:
  HttpRun(boost::asio::io_context& io, HttpClientRequest request, HttpExchange::Callback on_done);

  void Begin();
  void TimedOut();
  void Abandon();
  bool done() const { return done_; }

 private:
  using Clock = std::chrono::steady_clock;

  void StartConnection();
  void Connected(HttpClientResult result);
  // Moves to the redirect's target; false when `result` is the answer.
  bool FollowRedirect(HttpClientResult& result);
  void FailEarly(HttpFailure failure, std::string error);
  void Finish(HttpClientResult result);

  boost::asio::io_context& io_;
  HttpClientRequest request_;
  HttpExchange::Callback on_done_;
  Clock::time_point start_{};
  Clock::time_point deadline_{};
  HttpUrl origin_;  // the first URL: credentials go to it only
  HttpUrl url_;     // the one being asked
  std::string method_;
  std::string body_;
  std::string authorization_;
  std::shared_ptr<boost::asio::ssl::context> tls_context_;
  std::shared_ptr<HttpConnection> connection_;
  std::array<HttpPhaseTiming, kHttpPhaseCount> phases_{};
  int redirects_ = 0;
  bool done_ = false;
};

}  // namespace vms::internal
