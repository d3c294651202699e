#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "vms/rtsp/camera_state.h"
#include "vms/rtsp/rtsp_auth.h"
#include "vms/rtsp/rtsp_response.h"
#include "vms/rtsp/rtsp_url.h"

namespace vms::internal {

struct ExchangeOutcome {
  CameraState state = CameraState::kProtocolError;
  int rtsp_status = 0;  // of the last response, 0 when none
  std::string error;
  bool credentials_refused = false;  // starts a lockout
  std::string codec;
  int width = 0;
  int height = 0;
  std::optional<double> framerate;
};

ExchangeOutcome FailedExchange(CameraState state, std::string error, int status = 0);

struct ExchangeRequest {
  RtspUrl url;
  std::string user;  // empty: answer no challenge
  std::string password;
  std::string user_agent;
  std::chrono::steady_clock::time_point deadline;
};

// One OPTIONS + DESCRIBE exchange with a camera, on its own socket, buffers
// and auth state, so a late handler of a cancelled exchange can never touch
// the next one. Handlers hold it alive (shared_from_this); `on_done` runs at
// most once, on the io_context's thread, and never after Abandon().
class DescribeExchange : public std::enable_shared_from_this<DescribeExchange> {
 public:
  using Callback = std::function<void(const ExchangeOutcome&)>;
  DescribeExchange(boost::asio::io_context& io, ExchangeRequest request, Callback on_done);

  void Begin();
  // Ends with kTimeout, saying what it was waiting for.
  void TimedOut();
  // Ends without calling on_done: its owner lost interest.
  void Abandon();

 private:
  enum class Step { kOptions, kDescribe };

  void Complete(ExchangeOutcome outcome);
  void Close();
  void Connect();
  std::string_view Method() const;
  void Send();
  void Read();
  void ConnectionLost(const boost::system::error_code& ec);
  void Handle(const RtspResponse& response);
  void HandleChallenge(const RtspResponse& response);
  ExchangeOutcome DescribeOutcome(const RtspResponse& response);

  Callback on_done_;
  const RtspUrl url_;
  const std::string user_;
  const std::string password_;
  const std::string user_agent_;
  const std::chrono::steady_clock::time_point deadline_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  boost::asio::ip::tcp::resolver::results_type endpoints_;

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

}  // namespace vms::internal
