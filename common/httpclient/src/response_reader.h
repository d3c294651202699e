#pragma once

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vms/httpclient/http_client_result.h"

namespace vms::internal {

// Parses one HTTP/1.x response from bytes as they arrive (Beast's parser:
// Content-Length, chunked, or up to the end of the stream), skipping interim
// 1xx answers. No I/O, so it is tested and fuzzed on bytes alone. Memory is
// bounded by the header and body limits: an endless header, line or body is
// an error, not an allocation.
class ResponseReader {
 public:
  enum class State { kNeedMore, kComplete, kFailed };
  ResponseReader(std::size_t max_header_bytes, std::uint64_t max_body_bytes, bool head_request);

  State Feed(std::string_view bytes);
  // The peer closed the connection (or a TLS peer without close_notify).
  State FeedEof();

  State state() const { return state_; }
  bool header_done() const { return parser_->is_header_done(); }
  // kProtocol or kBodyTooLarge once kFailed.
  HttpFailure failure() const { return failure_; }
  const std::string& error() const { return error_; }

  // Moves status, reason, version, headers and body into `out` (kComplete).
  void TakeResponse(HttpClientResult& out);

 private:
  using Parser = boost::beast::http::response_parser<boost::beast::http::string_body>;
  void NewParser();
  State Parse();
  State Fail(HttpFailure failure, std::string error);
  State FailWith(const boost::system::error_code& ec);

  const std::size_t max_header_bytes_;
  const std::uint64_t max_body_bytes_;
  const bool head_request_;
  std::optional<Parser> parser_;
  std::string pending_;  // bytes the parser has not taken yet
  bool got_bytes_ = false;
  State state_ = State::kNeedMore;
  HttpFailure failure_ = HttpFailure::kNone;
  std::string error_;
};

}  // namespace vms::internal
