#include "streaming_gateway/janus_receiver.h"

#include <spdlog/spdlog.h>

#include "vms/base/text.h"
#include "vms/rtsp/rtsp_auth.h"

namespace vms::streaming_gateway {
namespace {

// What a gzip body may inflate to: Janus compresses into an 8 KiB buffer,
// and JSON compresses ~10x, so this leaves room and still bounds a bomb.
constexpr std::size_t kMaxInflatedBytes = 8 << 20;

// Equal without an early exit, so the time taken does not tell how much of a
// guessed header was right.
bool SameSecret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

HttpResponse Plain(unsigned status, std::string body) {
  return {status, "text/plain; charset=utf-8", std::move(body), false};
}

}  // namespace

JanusReceiver::JanusReceiver(boost::asio::io_context& io, JanusReceiverOptions options,
                             std::shared_ptr<JanusTracker> tracker)
    : options_(std::move(options)),
      state_(std::make_shared<State>()),
      server_(io,
              HttpServerOptions{.listen_address = options_.listen_address,
                                .max_body_bytes = options_.max_body_bytes,
                                .max_requests = 16,
                                .worker_threads = 1},
              nullptr) {
  if (!options_.username.empty()) {
    state_->expected_authorization = BuildBasicAuthorization(options_.username, options_.password);
  }
  state_->tracker = std::move(tracker);
  server_.Route("POST", "/", [state = state_](const HttpRequest& r) { return state->Handle(r); });
}

JanusReceiver::~JanusReceiver() = default;

Status JanusReceiver::Start() {
  if (Status s = server_.Start(); !s.ok()) {
    return Status::Error("Janus event receiver: " + s.message());
  }
  spdlog::info("receiving Janus events on {}", options_.listen_address);
  return Status::Ok();
}

HttpResponse JanusReceiver::State::Handle(const HttpRequest& request) {
  if (!expected_authorization.empty() &&
      !SameSecret(request.authorization, expected_authorization)) {
    tracker->Reject(kUnauthorized);
    return Plain(401, "Unauthorized\n");
  }
  std::string inflated;
  std::string_view body = request.body;
  if (EqualsNoCase(request.content_encoding, "gzip") ||
      EqualsNoCase(request.content_encoding, "deflate")) {
    auto out = GzipDecompress(body, kMaxInflatedBytes);
    if (!out) {
      tracker->Reject(kBadEncoding);
      return Plain(400, out.error() + "\n");
    }
    inflated = std::move(*out);
    body = inflated;
  } else if (!request.content_encoding.empty() &&
             !EqualsNoCase(request.content_encoding, "identity")) {
    tracker->Reject(kBadEncoding);
    return Plain(415, "Unsupported Content-Encoding\n");
  }
  auto parsed = ParseJanusEvents(body);
  if (!parsed) {
    tracker->Reject(kBadBody);
    return Plain(400, parsed.error() + "\n");
  }
  tracker->Apply(parsed->events);
  return Plain(200, "");
}

}  // namespace vms::streaming_gateway
