#include "vms/httpclient/http_exchange.h"

#include "http_run.h"
#include "request_text.h"

namespace vms {

HttpExchange::HttpExchange(boost::asio::io_context& io) : io_(io) {}

HttpExchange::~HttpExchange() { Abandon(); }

void HttpExchange::Start(HttpClientRequest request, Callback on_done) {
  Abandon();
  run_ = std::make_shared<internal::HttpRun>(io_, std::move(request), std::move(on_done));
  run_->Begin();
}

void HttpExchange::TimedOut() {
  // Held: the callback may Start() the next run, which drops this one.
  if (auto run = run_) run->TimedOut();
}

void HttpExchange::Abandon() {
  if (run_) std::exchange(run_, nullptr)->Abandon();
}

bool HttpExchange::running() const { return run_ && !run_->done(); }

Status ValidateHttpClientRequest(const HttpClientRequest& request) {
  const auto url = ParseHttpUrl(request.url);
  if (!url.ok()) return Status::Error("url: " + url.error());
  if (Status s = internal::CheckRequestHeaders(request.method, request.headers); !s.ok()) {
    return s;
  }
  if (request.timeout <= std::chrono::milliseconds::zero()) {
    return Status::Error("the timeout must be positive");
  }
  if (request.max_redirects < 0) return Status::Error("max_redirects must not be negative");
  return Status::Ok();
}

}  // namespace vms
