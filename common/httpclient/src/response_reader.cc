#include "response_reader.h"

#include <boost/beast/http/error.hpp>

namespace vms::internal {

namespace http = boost::beast::http;

namespace {
// Beast needs a whole chunk-size line before it moves on; a peer sending one
// without end is cut off here.
constexpr std::size_t kMaxLine = std::size_t{16} * 1024;
// The shortest end of a chunked body, "0\r\n\r\n". Boost 1.74's parser
// asserts (BOOST_ASSERT, so with assertions on) that it gets at least this
// much again once it has seen a last-chunk line without its end: an empty
// chunked body fed as "0\r\n" then "\r" trips it (fixed in Beast by
// boostorg/beast#2861; without assertions it reads on correctly). Fewer bytes
// can never finish a chunked body, so holding them back until there are this
// many changes no result, and keeps the assertion true.
constexpr std::size_t kShortestChunkedEnd = 5;
}  // namespace

ResponseReader::ResponseReader(std::size_t max_header_bytes, std::uint64_t max_body_bytes,
                               bool head_request)
    : max_header_bytes_(max_header_bytes),
      max_body_bytes_(max_body_bytes),
      head_request_(head_request) {
  NewParser();
}

void ResponseReader::NewParser() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(max_header_bytes_, std::numeric_limits<std::uint32_t>::max())));
  parser_->body_limit(max_body_bytes_);
  // Headers alone first: Boost 1.74's parser, when eager, goes on into the
  // body after a Content-Length over the limit and loses the error.
  parser_->eager(false);
  parser_->skip(head_request_);
}

ResponseReader::State ResponseReader::Feed(std::string_view bytes) {
  if (state_ != State::kNeedMore) return state_;
  if (!bytes.empty()) got_bytes_ = true;
  pending_.append(bytes);
  return Parse();
}

ResponseReader::State ResponseReader::Parse() {
  while (!pending_.empty()) {
    if (parser_->is_header_done() && parser_->chunked() && pending_.size() < kShortestChunkedEnd) {
      break;
    }
    boost::system::error_code ec;
    const std::size_t used =
        parser_->put(boost::asio::const_buffer(pending_.data(), pending_.size()), ec);
    pending_.erase(0, used);
    if (ec && ec != http::error::need_more) return FailWith(ec);
    if (parser_->is_header_done() && !parser_->eager()) parser_->eager(true);
    if (parser_->is_done()) {
      const unsigned status = parser_->get().result_int();
      if (status < 100 || status >= 200 || status == 101) {
        state_ = State::kComplete;
        return state_;
      }
      NewParser();  // 100 Continue, 103 Early Hints: the answer follows
      continue;
    }
    if (ec == http::error::need_more || used == 0) break;
  }
  if (pending_.size() > (parser_->is_header_done() ? kMaxLine : max_header_bytes_ + kMaxLine)) {
    return Fail(HttpFailure::kProtocol,
                "a line of the response exceeds " + std::to_string(kMaxLine) + " bytes");
  }
  return state_;
}

ResponseReader::State ResponseReader::FeedEof() {
  if (state_ != State::kNeedMore) return state_;
  if (!got_bytes_) return Fail(HttpFailure::kProtocol, "connection closed before any response");
  if (!parser_->is_header_done()) {
    return Fail(HttpFailure::kProtocol, "connection closed in the response headers");
  }
  boost::system::error_code ec;
  parser_->put_eof(ec);
  if (ec == http::error::partial_message) {
    std::string error =
        "connection closed mid-body after " + std::to_string(parser_->get().body().size());
    if (const auto length = parser_->content_length()) {
      error += " of " + std::to_string(*length);
    }
    return Fail(HttpFailure::kProtocol, error + " bytes");
  }
  if (ec) return FailWith(ec);
  if (!parser_->is_done()) return Fail(HttpFailure::kProtocol, "connection closed mid-response");
  state_ = State::kComplete;
  return state_;
}

ResponseReader::State ResponseReader::FailWith(const boost::system::error_code& ec) {
  if (ec == http::error::body_limit) {
    return Fail(HttpFailure::kBodyTooLarge,
                "the response body exceeds " + std::to_string(max_body_bytes_) + " bytes");
  }
  if (ec == http::error::header_limit) {
    return Fail(HttpFailure::kProtocol,
                "the response headers exceed " + std::to_string(max_header_bytes_) + " bytes");
  }
  return Fail(HttpFailure::kProtocol, "not a valid HTTP response: " + ec.message());
}

ResponseReader::State ResponseReader::Fail(HttpFailure failure, std::string error) {
  state_ = State::kFailed;
  failure_ = failure;
  error_ = std::move(error);
  pending_.clear();
  pending_.shrink_to_fit();
  return state_;
}

void ResponseReader::TakeResponse(HttpClientResult& out) {
  auto& message = parser_->get();
  out.status = static_cast<int>(message.result_int());
  // Beast fills an empty reason phrase with its own text, and for a code it
  // does not know with this placeholder (nginx sends "418 " bare).
  out.reason = std::string(message.reason());
  if (out.reason == "<unknown-status>") out.reason.clear();
  out.http_version = static_cast<int>(message.version());
  for (const auto& field : message) {
    out.headers.Add(std::string(field.name_string()), std::string(field.value()));
  }
  out.body = std::move(message.body());
}

}  // namespace vms::internal
