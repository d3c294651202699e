#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "streaming_gateway/janus_tracker.h"
#include "vms/base/status.h"
#include "vms/http/http_server.h"

namespace vms::streaming_gateway {

struct JanusReceiverOptions {
  std::string listen_address;
  std::string username;  // empty: no authentication
  std::string password;
  std::size_t max_body_bytes = 1 << 20;
};

// Janus' event handler POSTs to this: an HttpServer of its own on the
// exporter's io_context, one route, "POST /". Bodies are bounded (413
// beyond), may be gzip (Janus' `compress`), and are parsed and applied on
// the server's workers, never on the event loop. Janus ignores the answer
// but for transport errors, so a bad body is dropped with a 400 and counted
// by the tracker.
class JanusReceiver {
 public:
  JanusReceiver(boost::asio::io_context& io, JanusReceiverOptions options,
                std::shared_ptr<JanusTracker> tracker);
  ~JanusReceiver();

  // Binds and listens; errors name the address.
  Status Start();
  unsigned short port() const { return server_.port(); }

 private:
  // What the route uses, shared with it: a connection accepted before a
  // reload replaced this receiver may still deliver a request afterwards.
  struct State {
    std::string expected_authorization;     // "Basic ..." or empty
    std::shared_ptr<JanusTracker> tracker;  // also counts what is refused
    HttpResponse Handle(const HttpRequest& request);
  };

  const JanusReceiverOptions options_;
  std::shared_ptr<State> state_;
  HttpServer server_;
};

}  // namespace vms::streaming_gateway
