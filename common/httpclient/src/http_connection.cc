#include "http_connection.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>

#include "tls_client.h"
#include "vms/base/url_authority.h"

namespace vms::internal {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;

HttpConnection::HttpConnection(asio::io_context& io, ConnectionRequest request, Callback on_done)
    : request_(std::move(request)),
      on_done_(std::move(on_done)),
      resolver_(io),
      timer_(io),
      reader_(request_.max_header_bytes, request_.max_body_bytes, request_.head) {
  if (request_.tls_context) {
    tls_.emplace(io, *request_.tls_context);
  } else {
    plain_.emplace(io);
  }
}

HttpConnection::tcp::socket& HttpConnection::Socket() {
  return tls_ ? tls_->next_layer() : *plain_;
}

std::string HttpConnection::Peer() const {
  return UrlHost(request_.url.host) + ":" + std::to_string(request_.url.port);
}

void HttpConnection::Begin() {
  auto self = shared_from_this();
  // A deadline already past fires at once, but from the loop, not here.
  timer_.expires_at(request_.deadline);
  timer_.async_wait([self](const boost::system::error_code& ec) {
    if (!ec) self->TimedOut();
  });
  Enter(HttpPhase::kResolve, "resolving " + request_.url.host);
  boost::system::error_code not_ip;
  const auto address = asio::ip::make_address(request_.url.host, not_ip);
  if (!not_ip) {
    endpoints_.emplace_back(address, request_.url.port);
    // Posted, so that a connect failing at once still calls back from the loop.
    return asio::post(timer_.get_executor(), [self] {
      if (!self->done_) self->Connect();
    });
  }
  resolver_.async_resolve(
      request_.url.host, std::to_string(request_.url.port),
      [self](const boost::system::error_code& ec, const tcp::resolver::results_type& results) {
        if (self->done_) return;
        if (ec) {
          return self->Fail(HttpFailure::kResolve,
                            "cannot resolve " + self->request_.url.host + ": " + ec.message());
        }
        for (const auto& entry : results) self->endpoints_.push_back(entry.endpoint());
        self->Connect();
      });
}

void HttpConnection::Connect() {
  Enter(HttpPhase::kConnect, "connecting to " + Peer());
  auto self = shared_from_this();
  asio::async_connect(Socket(), endpoints_,
                      [self](const boost::system::error_code& ec, const tcp::endpoint&) {
                        if (self->done_) return;
                        if (ec) {
                          return self->Fail(HttpFailure::kConnect,
                                            "connecting to " + self->Peer() + ": " + ec.message());
                        }
                        if (self->tls_) return self->Handshake();
                        self->Send();
                      });
}

void HttpConnection::Handshake() {
  Enter(HttpPhase::kTls, "in the TLS handshake with " + Peer());
  const std::string& name = request_.server_name.empty() ? request_.url.host : request_.server_name;
  if (const Status s = PrepareTlsClient(tls_->native_handle(), name, request_.verify); !s.ok()) {
    return Fail(HttpFailure::kTls, s.message());
  }
  auto self = shared_from_this();
  tls_->async_handshake(ssl::stream_base::client, [self](const boost::system::error_code& ec) {
    if (self->done_) return;
    ReadTlsPeerInfo(self->tls_->native_handle(), !ec, self->result_);
    if (ec) {
      return self->Fail(HttpFailure::kTls, "TLS with " + self->Peer() + ": " +
                                               TlsHandshakeError(self->tls_->native_handle(),
                                                                 self->request_.verify, ec));
    }
    self->Send();
  });
}

void HttpConnection::Send() {
  // As blackbox_exporter counts it, processing runs from sending the request
  // to the first byte of the answer.
  Enter(HttpPhase::kProcessing, "waiting for the response from " + Peer());
  auto self = shared_from_this();
  auto written = [self](const boost::system::error_code& ec, std::size_t) {
    if (self->done_) return;
    if (ec) {
      return self->Fail(HttpFailure::kProtocol, "connection to " + self->Peer() +
                                                    " lost sending the request: " + ec.message());
    }
    self->Read();
  };
  if (tls_) {
    asio::async_write(*tls_, asio::buffer(request_.text), std::move(written));
  } else {
    asio::async_write(*plain_, asio::buffer(request_.text), std::move(written));
  }
}

void HttpConnection::Read() {
  auto self = shared_from_this();
  auto received = [self](const boost::system::error_code& ec, std::size_t n) {
    if (!self->done_) self->Received(ec, n);
  };
  if (tls_) {
    tls_->async_read_some(asio::buffer(chunk_), std::move(received));
  } else {
    plain_->async_read_some(asio::buffer(chunk_), std::move(received));
  }
}

void HttpConnection::Received(const boost::system::error_code& ec, std::size_t n) {
  ResponseReader::State state = reader_.state();
  if (n > 0) {
    if (phase_ == HttpPhase::kProcessing) {
      Enter(HttpPhase::kTransfer, "reading the response from " + Peer());
    }
    received_ += n;
    state = reader_.Feed(std::string_view(chunk_.data(), n));
  }
  if (state == ResponseReader::State::kNeedMore && ec) {
    // A TLS server that closes without close_notify ends its stream the
    // same way as a plain one: what was received decides.
    if (ec != asio::error::eof && ec != ssl::error::stream_truncated) {
      return Fail(HttpFailure::kProtocol,
                  "connection to " + Peer() + " lost " + doing_ + ": " + ec.message());
    }
    state = reader_.FeedEof();
  }
  switch (state) {
    case ResponseReader::State::kNeedMore:
      return Read();
    case ResponseReader::State::kFailed:
      return Fail(reader_.failure(), reader_.error() + " (from " + Peer() + ")");
    case ResponseReader::State::kComplete:
      return Succeed();
  }
}

void HttpConnection::Enter(HttpPhase phase, std::string doing) {
  EndPhase();
  phase_ = phase;
  phase_start_ = Clock::now();
  phase_open_ = true;
  doing_ = std::move(doing);
  HttpPhaseTiming& timing = result_.phase(phase);
  timing.reached = true;
  timing.started = phase_start_ - request_.exchange_start;
}

void HttpConnection::EndPhase() {
  if (!phase_open_) return;
  phase_open_ = false;
  result_.phase(phase_).duration = Clock::now() - phase_start_;
}

void HttpConnection::TimedOut() {
  if (done_) return;
  auto self = shared_from_this();  // the callback may drop its owner's last reference
  std::string error = "timed out " + doing_;
  if (phase_ == HttpPhase::kTransfer) error += " (" + std::to_string(received_) + " bytes in)";
  Fail(HttpFailure::kTimeout, std::move(error));
}

void HttpConnection::Fail(HttpFailure failure, std::string error) {
  if (done_) return;
  EndPhase();
  result_.failure = failure;
  result_.failed_phase = phase_;
  result_.error = std::move(error);
  Deliver();
}

void HttpConnection::Succeed() {
  EndPhase();
  reader_.TakeResponse(result_);
  Deliver();
}

void HttpConnection::Deliver() {
  done_ = true;
  Close();
  if (auto on_done = std::exchange(on_done_, nullptr)) on_done(std::move(result_));
}

void HttpConnection::Abandon() {
  on_done_ = nullptr;
  done_ = true;
  Close();
}

// No TLS close_notify: the exchange is over (or given up), and waiting for
// the peer's answer to one is what a stalled peer would make us do.
void HttpConnection::Close() {
  boost::system::error_code ignored;
  timer_.cancel();
  resolver_.cancel();
  Socket().shutdown(tcp::socket::shutdown_both, ignored);
  Socket().close(ignored);
}

}  // namespace vms::internal
