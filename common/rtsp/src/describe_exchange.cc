#include "describe_exchange.h"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <cctype>

#include "vms/rtsp/h264_sps.h"
#include "vms/rtsp/h265_sps.h"
#include "vms/rtsp/sdp.h"

namespace vms::internal {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

std::string RandomHex(std::size_t bytes) {
  std::array<unsigned char, 16> raw{};
  bytes = std::min(bytes, raw.size());
  // A predictable cnonce only weakens replay protection of our own request;
  // it is not worth failing the probe over.
  if (RAND_bytes(raw.data(), static_cast<int>(bytes)) != 1) raw.fill(0x5a);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes; ++i) {
    out.push_back(kHex[raw[i] >> 4]);
    out.push_back(kHex[raw[i] & 0xf]);
  }
  return out;
}

CameraState ClassifyConnectError(const boost::system::error_code& ec) {
  if (ec == asio::error::connection_refused) return CameraState::kRefused;
  if (ec == asio::error::timed_out) return CameraState::kTimeout;
  return CameraState::kUnreachable;  // EHOSTUNREACH, ENETUNREACH and the like
}

}  // namespace

ExchangeOutcome FailedExchange(CameraState state, std::string error, int status) {
  ExchangeOutcome out;
  out.state = state;
  out.error = std::move(error);
  out.rtsp_status = status;
  return out;
}

DescribeExchange::DescribeExchange(asio::io_context& io, ExchangeRequest request, Callback on_done)
    : on_done_(std::move(on_done)),
      url_(std::move(request.url)),
      user_(std::move(request.user)),
      password_(std::move(request.password)),
      user_agent_(std::move(request.user_agent)),
      deadline_(request.deadline),
      resolver_(io),
      socket_(io),
      timer_(io),
      cnonce_(RandomHex(8)) {}

void DescribeExchange::Begin() {
  auto self = shared_from_this();
  timer_.expires_at(deadline_);
  timer_.async_wait([self](const boost::system::error_code& ec) {
    if (!ec) self->TimedOut();
  });
  phase_ = "resolving " + url_.host;
  resolver_.async_resolve(
      url_.host, std::to_string(url_.port),
      [self](const boost::system::error_code& ec, tcp::resolver::results_type results) {
        if (self->done_) return;
        if (ec) {
          return self->Complete(
              FailedExchange(CameraState::kUnreachable,
                             "cannot resolve " + self->url_.host + ": " + ec.message()));
        }
        self->endpoints_ = std::move(results);
        self->Connect();
      });
}

void DescribeExchange::TimedOut() {
  Complete(FailedExchange(CameraState::kTimeout, "no answer while " + phase_, last_status_));
}

// Later handlers see done_ and return.
void DescribeExchange::Complete(ExchangeOutcome outcome) {
  if (done_) return;
  done_ = true;
  Close();
  if (auto on_done = std::exchange(on_done_, nullptr)) on_done(outcome);
}

void DescribeExchange::Abandon() {
  on_done_ = nullptr;
  done_ = true;
  Close();
}

void DescribeExchange::Close() {
  boost::system::error_code ignored;
  timer_.cancel();
  resolver_.cancel();
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

void DescribeExchange::Connect() {
  // A camera may close after any answer; reconnecting is bounded so a
  // camera that closes every connection cannot keep us busy.
  if (++connects_ > 3) {
    return Complete(FailedExchange(CameraState::kProtocolError,
                                   "camera closed the connection too often", last_status_));
  }
  phase_ = "connecting to " + url_.host + ":" + std::to_string(url_.port);
  rx_.clear();
  auto self = shared_from_this();
  asio::async_connect(
      socket_, endpoints_, [self](const boost::system::error_code& ec, const tcp::endpoint&) {
        if (self->done_) return;
        if (ec) {
          return self->Complete(
              FailedExchange(ClassifyConnectError(ec), self->phase_ + ": " + ec.message()));
        }
        self->answers_on_connection_ = 0;
        self->Send();
      });
}

std::string_view DescribeExchange::Method() const {
  return step_ == Step::kOptions ? "OPTIONS" : "DESCRIBE";
}

void DescribeExchange::Send() {
  if (!socket_.is_open()) return Connect();
  const std::string uri = url_.RequestUri();
  tx_.clear();
  tx_ += Method();
  tx_ += ' ' + uri + " RTSP/1.0\r\nCSeq: " + std::to_string(++cseq_) + "\r\n";
  tx_ += "User-Agent: " + user_agent_ + "\r\n";
  if (step_ == Step::kDescribe) tx_ += "Accept: application/sdp\r\n";
  sent_credentials_ = false;
  if (challenge_) {
    std::optional<std::string> authorization;
    if (challenge_->scheme == AuthChallenge::Scheme::kBasic) {
      authorization = BuildBasicAuthorization(user_, password_);
    } else {
      authorization = BuildDigestAuthorization(
          *challenge_, user_, password_,
          {.method = Method(), .uri = uri, .cnonce = cnonce_, .nc = ++nonce_count_});
    }
    if (authorization) {
      tx_ += "Authorization: " + *authorization + "\r\n";
      sent_credentials_ = true;
    }
  }
  tx_ += "\r\n";
  phase_ = "waiting for the " + std::string(Method()) + " answer";
  auto self = shared_from_this();
  asio::async_write(socket_, asio::buffer(tx_),
                    [self](const boost::system::error_code& ec, std::size_t) {
                      if (self->done_) return;
                      if (ec) return self->ConnectionLost(ec);
                      self->Read();
                    });
}

void DescribeExchange::Read() {
  auto self = shared_from_this();
  socket_.async_read_some(
      asio::buffer(chunk_), [self](const boost::system::error_code& ec, std::size_t n) {
        if (self->done_) return;
        if (ec) return self->ConnectionLost(ec);
        self->rx_.append(self->chunk_.data(), n);
        RtspResponseParse parse = ParseRtspResponse(self->rx_);
        switch (parse.outcome) {
          case RtspResponseParse::Outcome::kNeedMore:
            return self->Read();
          case RtspResponseParse::Outcome::kMalformed:
            return self->Complete(FailedExchange(
                CameraState::kProtocolError,
                std::string(self->Method()) + " answer: " + parse.error, self->last_status_));
          case RtspResponseParse::Outcome::kComplete:
            self->rx_.erase(0, parse.consumed);
            ++self->answers_on_connection_;
            return self->Handle(parse.response);
        }
      });
}

void DescribeExchange::ConnectionLost(const boost::system::error_code& ec) {
  // A kept-alive connection the camera closed before answering anything
  // more: ask again on a new one.
  if (answers_on_connection_ > 0 && rx_.empty() &&
      (ec == asio::error::eof || ec == asio::error::connection_reset ||
       ec == asio::error::broken_pipe)) {
    boost::system::error_code ignored;
    socket_.close(ignored);
    --cseq_;
    if (challenge_ && challenge_->scheme == AuthChallenge::Scheme::kDigest) --nonce_count_;
    return Connect();
  }
  Complete(FailedExchange(CameraState::kProtocolError,
                          "connection lost while " + phase_ + ": " + ec.message(), last_status_));
}

void DescribeExchange::Handle(const RtspResponse& response) {
  last_status_ = response.status;
  if (const std::string_view cseq = response.Header("CSeq");
      !cseq.empty() && cseq != std::to_string(cseq_)) {
    return Complete(FailedExchange(CameraState::kProtocolError,
                                   std::string(Method()) + " answer has the wrong CSeq",
                                   response.status));
  }
  if (const std::string_view connection = response.Header("Connection");
      connection.size() == 5 &&
      std::equal(connection.begin(), connection.end(), "close",
                 [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; })) {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }
  const int status = response.status;
  if (status == 401) return HandleChallenge(response);
  if (status == 403) {
    ExchangeOutcome out = FailedExchange(CameraState::kUnauthorized,
                                         std::string(Method()) + " forbidden (403)", status);
    out.credentials_refused = sent_credentials_;
    return Complete(std::move(out));
  }
  if (status == 404) {
    return Complete(FailedExchange(CameraState::kNotFound, "no stream at " + url_.path, status));
  }
  if (status == 453 || status == 503) {
    return Complete(FailedExchange(
        CameraState::kOverloaded,
        std::string(Method()) + " answered " + std::to_string(status) + " " + response.reason,
        status));
  }
  if (step_ == Step::kOptions) {
    // OPTIONS is a courtesy; a camera that does not implement it may still
    // DESCRIBE fine.
    step_ = Step::kDescribe;
    return Send();
  }
  if (status != 200) {
    std::string error = "DESCRIBE answered " + std::to_string(status) + " " + response.reason;
    if (status >= 300 && status < 400) {
      error += " to " + RedactUrl(response.Header("Location"));
    }
    return Complete(FailedExchange(CameraState::kProtocolError, std::move(error), status));
  }
  Complete(DescribeOutcome(response));
}

void DescribeExchange::HandleChallenge(const RtspResponse& response) {
  std::vector<AuthChallenge> challenges;
  for (const std::string_view value : response.Headers("WWW-Authenticate")) {
    const auto parsed = ParseAuthChallenges(value);
    challenges.insert(challenges.end(), parsed.begin(), parsed.end());
  }
  const std::optional<AuthChallenge> chosen = ChooseChallenge(challenges);
  const std::string method(Method());
  if (user_.empty()) {
    return Complete(FailedExchange(CameraState::kUnauthorized,
                                   method + " needs credentials and none are configured", 401));
  }
  if (!chosen) {
    return Complete(FailedExchange(CameraState::kUnauthorized,
                                   method + " offers no supported auth scheme", 401));
  }
  if (sent_credentials_) {
    // A stale nonce is not a wrong password: answer the new one, once.
    if (!(chosen->stale && !stale_retried_)) {
      ExchangeOutcome out =
          FailedExchange(CameraState::kUnauthorized, method + " refused the credentials", 401);
      out.credentials_refused = true;
      return Complete(std::move(out));
    }
    stale_retried_ = true;
  }
  challenge_ = chosen;
  nonce_count_ = 0;
  Send();
}

ExchangeOutcome DescribeExchange::DescribeOutcome(const RtspResponse& response) {
  const auto sdp = ParseSdp(response.body);
  if (!sdp.ok()) {
    return FailedExchange(CameraState::kProtocolError, "DESCRIBE answer: " + sdp.error(), 200);
  }
  const auto track = FindVideoTrack(*sdp);
  if (!track.ok()) {
    return FailedExchange(CameraState::kProtocolError, "DESCRIBE answer: " + track.error(), 200);
  }
  ExchangeOutcome out;
  out.state = CameraState::kOk;
  out.rtsp_status = 200;
  out.codec = track->codec;
  out.framerate = track->framerate;
  out.width = track->width;
  out.height = track->height;
  for (const std::string& sps : track->sps) {
    const Result<VideoSize> size =
        track->codec == "H265" ? ParseH265SpsSize(sps) : ParseH264SpsSize(sps);
    if (size.ok()) {
      out.width = size->width;
      out.height = size->height;
      break;
    }
  }
  return out;
}

}  // namespace vms::internal
