#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "response_reader.h"
#include "vms/httpclient/http_client_result.h"
#include "vms/httpclient/http_url.h"

namespace vms::internal {

// What one connection of an exchange sends, and where and how.
struct ConnectionRequest {
  HttpUrl url{};
  std::string text{};  // the whole request
  bool head = false;
  std::size_t max_header_bytes = 0;
  std::uint64_t max_body_bytes = 0;
  std::shared_ptr<boost::asio::ssl::context> tls_context{};  // set for https
  std::string server_name{};                                 // SNI and the verified name
  bool verify = true;
  std::chrono::steady_clock::time_point deadline{};
  std::chrono::steady_clock::time_point exchange_start{};  // phase offsets count from here
};

// One request on one connection: resolve, connect, TLS, send, read. Its
// socket, buffers and parser are its own, so a late handler of an abandoned
// connection never touches the next. Handlers hold it alive
// (shared_from_this); `on_done` runs at most once, on the io_context's
// thread, never from Begin() and never after Abandon().
class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  using Callback = std::function<void(HttpClientResult)>;
  HttpConnection(boost::asio::io_context& io, ConnectionRequest request, Callback on_done);

  void Begin();
  // Ends as kTimeout in the phase it is in; closes the socket at once.
  void TimedOut();
  // Ends without calling on_done; closes the socket at once.
  void Abandon();

 private:
  using Clock = std::chrono::steady_clock;
  using tcp = boost::asio::ip::tcp;

  void Connect();
  void Handshake();
  void Send();
  void Read();
  void Received(const boost::system::error_code& ec, std::size_t n);
  void Enter(HttpPhase phase, std::string doing);
  void EndPhase();
  void Fail(HttpFailure failure, std::string error);
  void Succeed();
  void Deliver();
  void Close();
  tcp::socket& Socket();
  std::string Peer() const;

  ConnectionRequest request_;
  Callback on_done_;
  tcp::resolver resolver_;
  std::optional<tcp::socket> plain_;
  std::optional<boost::asio::ssl::stream<tcp::socket>> tls_;
  boost::asio::steady_timer timer_;
  std::vector<tcp::endpoint> endpoints_;
  ResponseReader reader_;
  HttpClientResult result_;

  bool done_ = false;
  HttpPhase phase_ = HttpPhase::kResolve;
  Clock::time_point phase_start_{};
  bool phase_open_ = false;
  std::string doing_;  // what the phase waits for, for a timeout's message
  std::uint64_t received_ = 0;
  std::array<char, 16 * 1024> chunk_{};  // one TLS record
};

}  // namespace vms::internal
