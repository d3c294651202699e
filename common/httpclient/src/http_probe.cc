#include "vms/httpclient/http_probe.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "vms/base/url_credentials.h"

namespace vms {

using Clock = std::chrono::steady_clock;

Result<std::regex> CompileBodyRegex(const std::string& pattern) {
  try {
    return std::regex(pattern, std::regex::ECMAScript | std::regex::optimize |
                                   std::regex_constants::__polynomial);
  } catch (const std::regex_error& e) {
    return Status::Error(std::string("bad body regex: ") + e.what());
  }
}

HttpVerdict JudgeHttpResponse(const HttpClientResult& result, const HttpProbeConfig& config) {
  if (!result.ok()) return {result.failure, result.error};
  const auto& codes = config.valid_status_codes;
  const bool valid = codes.empty()
                         ? result.status >= 200 && result.status <= 299
                         : std::find(codes.begin(), codes.end(), result.status) != codes.end();
  if (!valid) {
    std::string status = std::to_string(result.status);
    if (!result.reason.empty()) status += " " + result.reason;
    return {HttpFailure::kStatus, "status " + status + " is not a valid answer"};
  }
  if (config.body_regex && !std::regex_search(result.body, *config.body_regex)) {
    return {HttpFailure::kBody, "the body does not match the expected pattern"};
  }
  return {};
}

HttpProbe::HttpProbe(boost::asio::io_context& io, HttpProbeConfig config)
    : config_(std::move(config)), exchange_(io) {}

void HttpProbe::Start(Clock::time_point deadline, std::function<void()> done) {
  exchange_.Abandon();
  done_ = std::move(done);
  run_started_ = Clock::now();
  run_deadline_ = deadline;
  HttpClientRequest request = config_.request;
  request.deadline = request.deadline ? std::min(*request.deadline, deadline) : deadline;
  // The exchange never outlives this probe: the destructor of exchange_
  // abandons a run in flight, dropping this callback.
  exchange_.Start(std::move(request),
                  [this](HttpClientResult result) { Finish(std::move(result)); });
}

void HttpProbe::Cancel() {
  if (!exchange_.running()) return;
  if (Clock::now() >= run_deadline_) return exchange_.TimedOut();
  exchange_.Abandon();
  if (auto done = std::exchange(done_, nullptr)) done();
}

void HttpProbe::Finish(HttpClientResult exchange) {
  const HttpVerdict verdict = JudgeHttpResponse(exchange, config_);
  ++probes_total_;
  if (verdict.failure != HttpFailure::kNone) ++failures_total_;

  HttpProbeResult result;
  result.failure = verdict.failure;
  result.error = verdict.error;
  result.duration = Clock::now() - run_started_;
  result.finished = std::chrono::system_clock::now();
  result.probes_total = probes_total_;
  result.failures_total = failures_total_;
  result.exchange = std::move(exchange);

  // State changes only: a dead endpoint probed every few seconds must not
  // flood the log.
  if (last_failure_ != verdict.failure) {
    const std::string url = RedactUrl(config_.request.url);
    if (verdict.failure == HttpFailure::kNone) {
      spdlog::info("http target {} ({}) is up: status {}", config_.target, url,
                   result.exchange.status);
    } else {
      spdlog::warn("http target {} ({}) is down ({}): {}", config_.target, url,
                   HttpFailureName(verdict.failure), verdict.error);
    }
    last_failure_ = verdict.failure;
  }
  snapshot_.Publish(std::move(result));
  if (auto done = std::exchange(done_, nullptr)) done();
}

}  // namespace vms
