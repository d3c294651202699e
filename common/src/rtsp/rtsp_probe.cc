#include "vms/rtsp/rtsp_probe.h"

#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <cctype>

#include "vms/rtsp/h264_sps.h"
#include "vms/rtsp/h265_sps.h"
#include "vms/rtsp/rtsp_auth.h"
#include "vms/rtsp/rtsp_response.h"
#include "vms/rtsp/rtsp_url.h"
#include "vms/rtsp/sdp.h"

namespace vms {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

std::string_view CameraStateName(CameraState state) {
  switch (state) {
    case CameraState::kOk:
      return "ok";
    case CameraState::kUnauthorized:
      return "unauthorized";
    case CameraState::kNotFound:
      return "not_found";
    case CameraState::kOverloaded:
      return "overloaded";
    case CameraState::kRefused:
      return "refused";
    case CameraState::kTimeout:
      return "timeout";
    case CameraState::kUnreachable:
      return "unreachable";
    case CameraState::kProtocolError:
      return "protocol_error";
    case CameraState::kLockedOut:
      return "locked_out";
  }
  return "unknown";
}

struct RtspProbe::Outcome {
  CameraState state = CameraState::kProtocolError;
  int rtsp_status = 0;
  std::string error;
  bool credentials_refused = false;  // starts a lockout
  std::string codec;
  int width = 0;
  int height = 0;
  std::optional<double> framerate;
};

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

// One probe run: its own socket, buffers and auth state, so a late handler of
// a cancelled run can never touch the next one. Handlers hold it alive; the
// owner pointer is cleared once the run has reported.
class RtspProbe::Run : public std::enable_shared_from_this<Run> {
 public:
  Run(asio::io_context& io, RtspProbe* owner, RtspUrl url, std::string user, std::string password,
      std::string user_agent, Clock::time_point deadline)
      : owner_(owner),
        url_(std::move(url)),
        user_(std::move(user)),
        password_(std::move(password)),
        user_agent_(std::move(user_agent)),
        deadline_(deadline),
        resolver_(io),
        socket_(io),
        timer_(io),
        cnonce_(RandomHex(8)) {}

  void Begin() {
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
                Failure(CameraState::kUnreachable,
                        "cannot resolve " + self->url_.host + ": " + ec.message()));
          }
          self->endpoints_ = std::move(results);
          self->Connect();
        });
  }

  void TimedOut() {
    Complete(Failure(CameraState::kTimeout, "no answer while " + phase_, last_status_));
  }

  // Ends the run now with `outcome`; later handlers see done_ and return.
  void Complete(Outcome outcome) {
    if (done_) return;
    done_ = true;
    Close();
    RtspProbe* owner = std::exchange(owner_, nullptr);
    if (owner != nullptr) owner->Finish(outcome);
  }

  // Ends the run without reporting: the probe is being removed.
  void Abandon() {
    owner_ = nullptr;
    done_ = true;
    Close();
  }

 private:
  enum class Step { kOptions, kDescribe };

  void Close() {
    boost::system::error_code ignored;
    timer_.cancel();
    resolver_.cancel();
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  void Connect() {
    // A camera may close after any answer; reconnecting is bounded so a
    // camera that closes every connection cannot keep us busy.
    if (++connects_ > 3) {
      return Complete(Failure(CameraState::kProtocolError, "camera closed the connection too often",
                              last_status_));
    }
    phase_ = "connecting to " + url_.host + ":" + std::to_string(url_.port);
    rx_.clear();
    auto self = shared_from_this();
    asio::async_connect(
        socket_, endpoints_, [self](const boost::system::error_code& ec, const tcp::endpoint&) {
          if (self->done_) return;
          if (ec) {
            return self->Complete(
                Failure(ClassifyConnectError(ec), self->phase_ + ": " + ec.message()));
          }
          self->answers_on_connection_ = 0;
          self->Send();
        });
  }

  std::string_view Method() const { return step_ == Step::kOptions ? "OPTIONS" : "DESCRIBE"; }

  void Send() {
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

  void Read() {
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
              return self->Complete(Failure(CameraState::kProtocolError,
                                            std::string(self->Method()) + " answer: " + parse.error,
                                            self->last_status_));
            case RtspResponseParse::Outcome::kComplete:
              self->rx_.erase(0, parse.consumed);
              ++self->answers_on_connection_;
              return self->Handle(parse.response);
          }
        });
  }

  void ConnectionLost(const boost::system::error_code& ec) {
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
    Complete(Failure(CameraState::kProtocolError,
                     "connection lost while " + phase_ + ": " + ec.message(), last_status_));
  }

  void Handle(const RtspResponse& response) {
    last_status_ = response.status;
    if (const std::string_view cseq = response.Header("CSeq");
        !cseq.empty() && cseq != std::to_string(cseq_)) {
      return Complete(Failure(CameraState::kProtocolError,
                              std::string(Method()) + " answer has the wrong CSeq",
                              response.status));
    }
    if (const std::string_view connection = response.Header("Connection");
        connection.size() == 5 &&
        std::equal(connection.begin(), connection.end(), "close", [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == b;
        })) {
      boost::system::error_code ignored;
      socket_.close(ignored);
    }
    const int status = response.status;
    if (status == 401) return HandleChallenge(response);
    if (status == 403) {
      Outcome out =
          Failure(CameraState::kUnauthorized, std::string(Method()) + " forbidden (403)", status);
      out.credentials_refused = sent_credentials_;
      return Complete(std::move(out));
    }
    if (status == 404) {
      return Complete(Failure(CameraState::kNotFound, "no stream at " + url_.path, status));
    }
    if (status == 453 || status == 503) {
      return Complete(Failure(
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
      return Complete(Failure(CameraState::kProtocolError, std::move(error), status));
    }
    Complete(DescribeOutcome(response));
  }

  void HandleChallenge(const RtspResponse& response) {
    std::vector<AuthChallenge> challenges;
    for (const std::string_view value : response.Headers("WWW-Authenticate")) {
      const auto parsed = ParseAuthChallenges(value);
      challenges.insert(challenges.end(), parsed.begin(), parsed.end());
    }
    const std::optional<AuthChallenge> chosen = ChooseChallenge(challenges);
    const std::string method(Method());
    if (user_.empty()) {
      return Complete(Failure(CameraState::kUnauthorized,
                              method + " needs credentials and none are configured", 401));
    }
    if (!chosen) {
      return Complete(
          Failure(CameraState::kUnauthorized, method + " offers no supported auth scheme", 401));
    }
    if (sent_credentials_) {
      // A stale nonce is not a wrong password: answer the new one, once.
      if (!(chosen->stale && !stale_retried_)) {
        Outcome out = Failure(CameraState::kUnauthorized, method + " refused the credentials", 401);
        out.credentials_refused = true;
        return Complete(std::move(out));
      }
      stale_retried_ = true;
    }
    challenge_ = chosen;
    nonce_count_ = 0;
    Send();
  }

  Outcome DescribeOutcome(const RtspResponse& response) {
    const auto sdp = ParseSdp(response.body);
    if (!sdp.ok()) {
      return Failure(CameraState::kProtocolError, "DESCRIBE answer: " + sdp.error(), 200);
    }
    const auto track = FindVideoTrack(*sdp);
    if (!track.ok()) {
      return Failure(CameraState::kProtocolError, "DESCRIBE answer: " + track.error(), 200);
    }
    Outcome out;
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

  RtspProbe* owner_;
  const RtspUrl url_;
  const std::string user_;
  const std::string password_;
  const std::string user_agent_;
  const Clock::time_point deadline_;
  tcp::resolver resolver_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  tcp::resolver::results_type endpoints_;

  bool done_ = false;
  std::string phase_;  // what we were doing, for a timeout's message
  int connects_ = 0;
  int answers_on_connection_ = 0;
  Step step_ = Step::kOptions;
  int cseq_ = 0;
  int last_status_ = 0;
  std::string tx_;
  std::string rx_;  // bounded by ParseRtspResponse's limits plus one chunk
  std::array<char, 4096> chunk_{};

  std::optional<AuthChallenge> challenge_;
  std::uint32_t nonce_count_ = 0;
  const std::string cnonce_;
  bool sent_credentials_ = false;
  bool stale_retried_ = false;
};

RtspProbe::Outcome RtspProbe::Failure(CameraState state, std::string error, int status) {
  Outcome out;
  out.state = state;
  out.error = std::move(error);
  out.rtsp_status = status;
  return out;
}

RtspProbe::RtspProbe(asio::io_context& io, RtspProbeConfig config)
    : io_(io), config_(std::move(config)) {}

RtspProbe::~RtspProbe() {
  if (run_) run_->Abandon();
}

void RtspProbe::Start(Clock::time_point deadline, std::function<void()> done) {
  if (run_) std::exchange(run_, nullptr)->Abandon();
  done_ = std::move(done);
  run_started_ = Clock::now();
  run_deadline_ = deadline;

  if (locked_out_) {
    if (run_started_ < locked_until_) {
      Outcome out = Failure(CameraState::kLockedOut,
                            "credentials were refused; not retrying until they change or the "
                            "back-off ends");
      return Finish(out);
    }
    locked_out_ = false;  // the back-off is over: one more try
  }

  auto url = ParseRtspUrl(config_.url);
  if (!url.ok()) {
    return Finish(Failure(CameraState::kProtocolError, "bad camera URL: " + url.error()));
  }
  std::string user = config_.user;
  std::string password = config_.password;
  if (user.empty() && url->has_credentials) {
    user = url->user;
    password = url->password;
  }
  run_ = std::make_shared<Run>(io_, this, std::move(*url), std::move(user), std::move(password),
                               config_.user_agent, deadline);
  run_->Begin();
}

void RtspProbe::Cancel() {
  if (!run_) return;
  if (Clock::now() >= run_deadline_) {
    std::exchange(run_, nullptr)->TimedOut();
    return;
  }
  std::exchange(run_, nullptr)->Abandon();
  if (auto done = std::exchange(done_, nullptr)) done();
}

void RtspProbe::SetCredentials(std::string user, std::string password) {
  if (user == config_.user && password == config_.password) return;
  config_.user = std::move(user);
  config_.password = std::move(password);
  locked_out_ = false;
}

void RtspProbe::Finish(const Outcome& outcome) {
  const auto now = Clock::now();
  run_ = nullptr;
  ++probes_total_;
  if (outcome.state != CameraState::kOk) ++failures_total_;
  if (outcome.credentials_refused) {
    locked_out_ = true;
    locked_until_ = now + config_.lockout_backoff;
  }

  RtspProbeResult result;
  result.state = outcome.state;
  result.rtsp_status = outcome.rtsp_status;
  result.duration = now - run_started_;
  result.finished = std::chrono::system_clock::now();
  result.probes_total = probes_total_;
  result.failures_total = failures_total_;
  result.error = outcome.error;
  if (outcome.state == CameraState::kOk) {
    last_ok_.codec = outcome.codec;
    last_ok_.width = outcome.width;
    last_ok_.height = outcome.height;
    last_ok_.framerate = outcome.framerate;
  }
  result.codec = last_ok_.codec;
  result.width = last_ok_.width;
  result.height = last_ok_.height;
  result.framerate = last_ok_.framerate;

  // State changes only: 64 dead cameras must not flood the log.
  if (last_state_ != outcome.state) {
    const std::string url = RedactUrl(config_.url);
    if (outcome.state == CameraState::kOk) {
      spdlog::info("camera {} ({}) is ok: {} {}x{}", config_.camera_id, url, result.codec,
                   result.width, result.height);
    } else {
      spdlog::warn("camera {} ({}) is {}: {}", config_.camera_id, url,
                   CameraStateName(outcome.state), outcome.error);
    }
    last_state_ = outcome.state;
  }
  snapshot_.Publish(std::move(result));
  if (auto done = std::exchange(done_, nullptr)) done();
}

}  // namespace vms
