#include "http_run.h"

#include <algorithm>
#include <boost/asio/post.hpp>

#include "request_text.h"
#include "vms/base/text.h"

namespace vms::internal {

namespace {

bool IsRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool SameOrigin(const HttpUrl& a, const HttpUrl& b) {
  return a.tls == b.tls && a.port == b.port && EqualsNoCase(a.host, b.host);
}

}  // namespace

HttpRun::HttpRun(boost::asio::io_context& io, HttpClientRequest request,
                 HttpExchange::Callback on_done)
    : io_(io), request_(std::move(request)), on_done_(std::move(on_done)) {}

void HttpRun::Begin() {
  start_ = Clock::now();
  deadline_ = start_ + request_.timeout;
  if (request_.deadline) deadline_ = std::min(deadline_, *request_.deadline);
  auto url = ParseHttpUrl(request_.url);
  if (!url.ok()) return FailEarly(HttpFailure::kRequest, "bad URL: " + url.error());
  if (const Status s = CheckRequestHeaders(request_.method, request_.headers); !s.ok()) {
    return FailEarly(HttpFailure::kRequest, s.message());
  }
  origin_ = url_ = std::move(*url);
  method_ = request_.method;
  body_ = request_.body;
  if (!request_.bearer_token.empty()) {
    authorization_ = "Bearer " + request_.bearer_token;
  } else if (!request_.basic_user.empty()) {
    authorization_ = BasicAuthorization(request_.basic_user, request_.basic_password);
  } else if (url_.has_credentials) {
    authorization_ = BasicAuthorization(url_.user, url_.password);
  }
  tls_context_ = request_.tls_context;
  StartConnection();
}

void HttpRun::StartConnection() {
  // Credentials go to the configured origin only, as Go's client does: a
  // redirect elsewhere must not collect them.
  const std::string_view authorization =
      SameOrigin(url_, origin_) ? std::string_view(authorization_) : std::string_view();
  auto text = BuildRequestText({.method = method_,
                                .url = &url_,
                                .headers = &request_.headers,
                                .body = body_,
                                .user_agent = request_.user_agent,
                                .authorization = authorization});
  if (!text.ok()) return FailEarly(HttpFailure::kRequest, text.error());
  if (url_.tls && !tls_context_) {
    auto built = BuildTlsClientContext(request_.tls);
    if (!built.ok()) return FailEarly(HttpFailure::kRequest, built.error());
    tls_context_ = std::move(*built);
  }
  connection_ = std::make_shared<HttpConnection>(
      io_,
      ConnectionRequest{.url = url_,
                        .text = std::move(*text),
                        .head = method_ == "HEAD",
                        .max_header_bytes = request_.max_header_bytes,
                        .max_body_bytes = request_.max_body_bytes,
                        .tls_context = url_.tls ? tls_context_ : nullptr,
                        .server_name = request_.tls.server_name,
                        .verify = !request_.tls.insecure_skip_verify,
                        .deadline = deadline_,
                        .exchange_start = start_},
      // Weak: a connection never keeps the run alive, and the run abandons
      // it before it goes.
      [weak = weak_from_this()](HttpClientResult result) {
        if (auto self = weak.lock()) self->Connected(std::move(result));
      });
  connection_->Begin();
}

void HttpRun::Connected(HttpClientResult result) {
  for (std::size_t i = 0; i < kHttpPhaseCount; ++i) {
    if (!result.phases[i].reached) continue;
    phases_[i].reached = true;
    phases_[i].started = result.phases[i].started;
    phases_[i].duration += result.phases[i].duration;
  }
  if (result.ok() && FollowRedirect(result)) return;
  Finish(std::move(result));
}

bool HttpRun::FollowRedirect(HttpClientResult& result) {
  if (request_.max_redirects <= 0 || !IsRedirect(result.status)) return false;
  const auto location = result.headers.Get("Location");
  if (!location) return false;  // a 3xx without a target is the answer
  if (redirects_ >= request_.max_redirects) {
    result.failure = HttpFailure::kRedirects;
    result.error = "more than " + std::to_string(request_.max_redirects) + " redirects";
    return false;
  }
  auto next = ResolveLocation(url_, *location);
  if (!next.ok()) {
    result.failure = HttpFailure::kProtocol;
    result.error = next.error() + " (from " + url_.ToString() + ")";
    return false;
  }
  // What browsers and Go do: 303 asks for a GET, and so, by old habit, does
  // a 301 or 302 answering a POST; 307 and 308 repeat the request as it was.
  if ((result.status == 303 && method_ != "HEAD") ||
      ((result.status == 301 || result.status == 302) && method_ == "POST")) {
    method_ = "GET";
    body_.clear();
  }
  ++redirects_;
  url_ = std::move(*next);
  StartConnection();
  return true;
}

void HttpRun::TimedOut() {
  if (done_) return;
  auto self = shared_from_this();  // the callback may drop this run
  if (auto connection = connection_) return connection->TimedOut();
  FailEarly(HttpFailure::kTimeout, "timed out before connecting");
}

void HttpRun::Abandon() {
  done_ = true;
  on_done_ = nullptr;
  if (connection_) connection_->Abandon();
}

void HttpRun::FailEarly(HttpFailure failure, std::string error) {
  HttpClientResult result;
  result.failure = failure;
  result.failed_phase = HttpPhase::kResolve;
  result.error = std::move(error);
  // Never from inside Start(): the caller may not be ready for its answer.
  boost::asio::post(io_, [weak = weak_from_this(), result = std::move(result)]() mutable {
    if (auto self = weak.lock()) self->Finish(std::move(result));
  });
}

void HttpRun::Finish(HttpClientResult result) {
  if (done_) return;
  done_ = true;
  result.phases = phases_;
  result.total = Clock::now() - start_;
  result.redirects = redirects_;
  if (!url_.host.empty()) result.final_url = url_.ToString();
  // The callback may start the owner's next run, which drops this one.
  auto self = shared_from_this();
  if (auto on_done = std::exchange(on_done_, nullptr)) on_done(std::move(result));
}

}  // namespace vms::internal
