#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>

#include "vms/httpclient/http_client_request.h"
#include "vms/httpclient/http_client_result.h"

namespace vms {
namespace internal {
class HttpRun;
}  // namespace internal

// One HTTP(S) request and its response, each on a connection of its own
// (Connection: close, as blackbox_exporter probes): resolve (IP literals
// directly), connect (IPv4 or IPv6), TLS with SNI and certificate and host
// name verification, send, read with the size caps, follow redirects when
// asked. Runs on the io_context given; every method must be called on its
// thread. `on_done` runs exactly once per Start(), on that thread and never
// from inside Start(), unless the exchange is abandoned first.
class HttpExchange {
 public:
  using Callback = std::function<void(HttpClientResult)>;
  explicit HttpExchange(boost::asio::io_context& io);
  // Abandons a run in flight: its callback is never called, so it may
  // capture the owner by reference.
  ~HttpExchange();
  HttpExchange(const HttpExchange&) = delete;
  HttpExchange& operator=(const HttpExchange&) = delete;

  // A run in flight is abandoned first.
  void Start(HttpClientRequest request, Callback on_done);
  // Closes the connection at once and ends the run as kTimeout, saying in
  // which phase (for a scheduler whose deadline fired first).
  void TimedOut();
  // Closes the connection at once; the callback is dropped.
  void Abandon();
  bool running() const;

 private:
  boost::asio::io_context& io_;
  std::shared_ptr<internal::HttpRun> run_;
};

}  // namespace vms
