#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "vms/base/status.h"
#include "vms/http/web_security.h"

namespace vms {

struct HttpRequest {
  std::string method;
  std::string target;  // path without the query string
  std::string accept_encoding;
  std::string scrape_timeout;  // X-Prometheus-Scrape-Timeout-Seconds
  // For routes that take a body (event receivers); at most max_body_bytes.
  std::string content_encoding;
  std::string body;
  // The Authorization header, for routes that check credentials themselves
  // rather than through WebSecurity. Never log it.
  std::string authorization;
};

struct HttpResponse {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  bool compressible = false;  // gzip when the client accepts it
};

struct HttpServerOptions {
  std::string listen_address = ":9090";
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_body_bytes = 64 * 1024;             // 413 beyond
  std::chrono::milliseconds request_timeout{10'000};  // whole request, incl. TLS handshake
  std::chrono::milliseconds idle_timeout{60'000};     // keep-alive between requests
  std::size_t max_requests = 40;                      // concurrent handled requests; 0 = no limit
  std::size_t worker_threads = 2;
};

// HTTP(S) on Boost.Beast. Reading and writing run on the io_context; handlers
// (scrapes, auth checks) run on a small worker pool so a slow collector or a
// bcrypt check never stalls other connections. The worker that handled a
// request also compresses its response and starts the write (the first send
// happens on the worker; the rest and what follows run on the io_context).
class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  HttpServer(boost::asio::io_context& io, HttpServerOptions options,
             std::shared_ptr<WebSecurity> security);
  ~HttpServer();

  // Routes are exact paths; "METHOD path" keys, e.g. "GET /metrics".
  void Route(std::string method, std::string path, Handler handler);

  // Binds and starts accepting. Errors name the address.
  Status Start();
  // Stops accepting, lets in-flight requests finish, closes idle
  // connections; `done` runs on the io_context when all sessions are gone or
  // after `grace`, whichever is first.
  void Shutdown(std::chrono::milliseconds grace, std::function<void()> done);

  // The bound port (useful with port 0 in tests).
  unsigned short port() const { return port_; }

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
  unsigned short port_ = 0;
};

// Parses ":9090", "127.0.0.1:0", "[::1]:9090" into an endpoint.
Result<boost::asio::ip::tcp::endpoint> ParseListenAddress(const std::string& address);

// Gzip (RFC 1952) of `data`.
std::string GzipCompress(std::string_view data);

// Inflates gzip (RFC 1952) or zlib (RFC 1950) data, detected by its header,
// into at most `max_bytes`: a larger result, a truncated or corrupt stream
// or trailing bytes are errors, so a small hostile body cannot expand into
// unbounded memory.
Result<std::string> GzipDecompress(std::string_view data, std::size_t max_bytes);

// True if an Accept-Encoding value allows gzip (q>0).
bool AcceptsGzip(std::string_view accept_encoding);

}  // namespace vms
