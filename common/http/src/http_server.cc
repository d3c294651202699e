#include "vms/http/http_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <map>
#include <optional>
#include <set>

#include "vms/base/text.h"

namespace vms {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
constexpr std::size_t kMaxConnections = 1024;

class SessionBase {
 public:
  virtual ~SessionBase() = default;
  // Shutdown: close now if waiting for a request, else after the response.
  virtual void CloseWhenIdle() = 0;
};
}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  Impl(asio::io_context& io_context, HttpServerOptions opts, std::shared_ptr<WebSecurity> sec)
      : io(io_context),
        options(std::move(opts)),
        security(std::move(sec)),
        acceptor(io),
        workers(options.worker_threads == 0 ? 1 : options.worker_threads),
        grace_timer(io) {}

  asio::io_context& io;
  HttpServerOptions options;
  std::shared_ptr<WebSecurity> security;
  tcp::acceptor acceptor;
  asio::thread_pool workers;
  std::map<std::string, Handler> routes;  // "GET /metrics"
  std::set<std::string> known_paths;      // for 405 rather than 404
  std::atomic<std::size_t> in_flight{0};

  std::uint64_t next_session = 1;
  std::map<std::uint64_t, std::weak_ptr<SessionBase>> sessions;
  std::atomic<bool> shutting_down{false};  // read by workers replying
  asio::steady_timer grace_timer;
  std::function<void()> shutdown_done;

  void Accept();
  void OnSessionClosed(std::uint64_t id) {
    sessions.erase(id);
    if (shutting_down && sessions.empty()) FinishShutdown();
  }
  void FinishShutdown() {
    if (!shutdown_done) return;
    grace_timer.cancel();
    auto done = std::move(shutdown_done);
    shutdown_done = nullptr;
    done();
  }

  // Runs on a worker thread.
  HttpResponse Handle(const HttpRequest& request) {
    if (security && !security->Authorize(request.authorization)) {
      return {401, "text/plain; charset=utf-8", "Unauthorized\n", false};
    }
    auto it = routes.find(request.method + " " + request.target);
    if (it == routes.end()) {
      if (known_paths.contains(request.target)) {
        return {405, "text/plain; charset=utf-8", "Method Not Allowed\n", false};
      }
      return {404, "text/plain; charset=utf-8", "Not Found\n", false};
    }
    try {
      return it->second(request);
    } catch (const std::exception& e) {
      spdlog::error("handler for {} {} failed: {}", request.method, request.target, e.what());
      return {500, "text/plain; charset=utf-8", "Internal Server Error\n", false};
    }
  }
};

namespace {

// One connection; Derived supplies stream() and the TLS or plain close.
template <class Derived>
class Session : public SessionBase {
 public:
  Session(std::shared_ptr<HttpServer::Impl> server, std::uint64_t id)
      : server_(std::move(server)), id_(id) {}
  ~Session() override {
    // The destructor runs on the loop thread: the last reference is dropped
    // by a completion handler (a worker hands its reference to the write).
    server_->OnSessionClosed(id_);
  }

  void CloseWhenIdle() override {
    closing_ = true;
    if (!busy_) beast::get_lowest_layer(derived().stream()).cancel();
  }

 protected:
  Derived& derived() { return static_cast<Derived&>(*this); }

  void DoRead() {
    if (closing_) return derived().DoClose();
    busy_ = false;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_->options.max_header_bytes));
    parser_->body_limit(server_->options.max_body_bytes);
    beast::get_lowest_layer(derived().stream())
        .expires_after(first_request_ ? server_->options.request_timeout
                                      : server_->options.idle_timeout);
    first_request_ = false;
    http::async_read(derived().stream(), buffer_, *parser_,
                     [self = derived().shared_from_this()](beast::error_code ec, std::size_t) {
                       self->OnRead(ec);
                     });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::header_limit) {
      busy_ = true;
      return Reply(derived().shared_from_this(),
                   HttpResponse{431, "text/plain; charset=utf-8",
                                "Request Header Fields Too Large\n", false},
                   false, false);
    }
    if (ec == http::error::body_limit) {
      busy_ = true;
      return Reply(derived().shared_from_this(),
                   HttpResponse{413, "text/plain; charset=utf-8", "Payload Too Large\n", false},
                   false, false);
    }
    if (ec) return derived().DoClose();
    busy_ = true;
    beast::get_lowest_layer(derived().stream()).expires_never();

    auto& req = parser_->get();
    HttpRequest request;
    request.method = std::string(req.method_string());
    const std::string_view target = req.target();
    request.target = std::string(target.substr(0, target.find('?')));
    request.accept_encoding = std::string(req[http::field::accept_encoding]);
    request.scrape_timeout = std::string(req["X-Prometheus-Scrape-Timeout-Seconds"]);
    request.content_encoding = std::string(req[http::field::content_encoding]);
    request.authorization = std::string(req[http::field::authorization]);
    request.body = std::move(req.body());
    const bool keep_alive = req.keep_alive();
    const bool accepts_gzip = AcceptsGzip(request.accept_encoding);

    const auto limit = server_->options.max_requests;
    if (limit != 0 && server_->in_flight.load() >= limit) {
      return Reply(
          derived().shared_from_this(),
          HttpResponse{503, "text/plain; charset=utf-8", "Too many concurrent requests\n", false},
          keep_alive, false);
    }
    ++server_->in_flight;
    // The worker also starts the write: the loop thread has nothing pending
    // on this connection meanwhile (busy_), and handing the response back to
    // it first would add a thread wake-up to every request's latency. The
    // write's completion and everything after it run on the loop thread.
    asio::post(server_->workers, [self = derived().shared_from_this(), request = std::move(request),
                                  keep_alive, accepts_gzip]() mutable {
      HttpResponse response = self->server_->Handle(request);
      --self->server_->in_flight;
      Reply(std::move(self), std::move(response), keep_alive, accepts_gzip);
    });
  }

  // On the loop thread, or on a worker while the connection is busy_. Takes
  // a reference to the session and gives it to the write.
  static void Reply(std::shared_ptr<Derived> self, HttpResponse r, bool keep_alive,
                    bool accepts_gzip) {
    auto res = std::make_shared<http::response<http::string_body>>();
    res->version(11);
    res->result(static_cast<http::status>(r.status));
    res->set(http::field::content_type, r.content_type);
    if (r.status == 401) res->set(http::field::www_authenticate, "Basic realm=\"vms-exporter\"");
    if (r.compressible && accepts_gzip) {
      res->set(http::field::content_encoding, "gzip");
      res->body() = GzipCompress(r.body);
    } else {
      res->body() = std::move(r.body);
    }
    if (r.compressible) res->set(http::field::vary, "Accept-Encoding");
    keep_alive = keep_alive && !self->closing_ && !self->server_->shutting_down;
    res->keep_alive(keep_alive);
    res->prepare_payload();
    auto& stream = self->stream();
    beast::get_lowest_layer(stream).expires_after(self->server_->options.request_timeout);
    http::async_write(stream, *res,
                      [self = std::move(self), res, keep_alive](beast::error_code ec, std::size_t) {
                        if (ec || !keep_alive) return self->DoClose();
                        self->DoRead();
                      });
  }

  std::shared_ptr<HttpServer::Impl> server_;
  std::uint64_t id_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool busy_ = false;                 // loop thread only
  std::atomic<bool> closing_{false};  // read by a worker replying
  bool first_request_ = true;
};

class PlainSession : public Session<PlainSession>,
                     public std::enable_shared_from_this<PlainSession> {
 public:
  PlainSession(tcp::socket&& socket, std::shared_ptr<HttpServer::Impl> server, std::uint64_t id)
      : Session(std::move(server), id), stream_(std::move(socket)) {}
  void Run() { DoRead(); }
  beast::tcp_stream& stream() { return stream_; }
  void DoClose() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

 private:
  beast::tcp_stream stream_;
};

class TlsSession : public Session<TlsSession>, public std::enable_shared_from_this<TlsSession> {
 public:
  TlsSession(tcp::socket&& socket, std::shared_ptr<asio::ssl::context> ctx,
             std::shared_ptr<HttpServer::Impl> server, std::uint64_t id)
      : Session(std::move(server), id), ctx_(std::move(ctx)), stream_(std::move(socket), *ctx_) {}
  void Run() {
    beast::get_lowest_layer(stream_).expires_after(server_->options.request_timeout);
    stream_.async_handshake(asio::ssl::stream_base::server,
                            [self = shared_from_this()](beast::error_code ec) {
                              if (ec) {
                                spdlog::debug("TLS handshake failed: {}", ec.message());
                                return;
                              }
                              self->DoRead();
                            });
  }
  beast::ssl_stream<beast::tcp_stream>& stream() { return stream_; }
  void DoClose() {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {});
  }

 private:
  std::shared_ptr<asio::ssl::context> ctx_;  // outlives stream_, which refers to it
  beast::ssl_stream<beast::tcp_stream> stream_;
};

}  // namespace

void HttpServer::Impl::Accept() {
  acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || self->shutting_down) return;
    if (!ec) {
      if (self->sessions.size() >= kMaxConnections) {
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        const auto id = self->next_session++;
        auto ctx = self->security ? self->security->TlsContext() : nullptr;
        if (ctx) {
          auto s = std::make_shared<TlsSession>(std::move(socket), std::move(ctx), self, id);
          self->sessions[id] = s;
          s->Run();
        } else {
          auto s = std::make_shared<PlainSession>(std::move(socket), self, id);
          self->sessions[id] = s;
          s->Run();
        }
      }
    } else {
      spdlog::warn("accept failed: {}", ec.message());
    }
    self->Accept();
  });
}

HttpServer::HttpServer(asio::io_context& io, HttpServerOptions options,
                       std::shared_ptr<WebSecurity> security)
    : impl_(std::make_shared<Impl>(io, std::move(options), std::move(security))) {}

HttpServer::~HttpServer() {
  beast::error_code ec;
  impl_->acceptor.close(ec);
  impl_->workers.join();
}

void HttpServer::Route(std::string method, std::string path, Handler handler) {
  impl_->known_paths.insert(path);
  impl_->routes[method + " " + path] = std::move(handler);
}

Status HttpServer::Start() {
  auto endpoint = ParseListenAddress(impl_->options.listen_address);
  if (!endpoint) return endpoint.status();
  beast::error_code ec;
  auto& acceptor = impl_->acceptor;
  const std::string where = " on " + impl_->options.listen_address;
  acceptor.open(endpoint->protocol(), ec);
  if (ec && endpoint->address() == asio::ip::address_v6::any()) {
    // No IPv6 on this host: ":port" falls back to all IPv4 addresses.
    *endpoint = tcp::endpoint(asio::ip::address_v4::any(), endpoint->port());
    acceptor.open(endpoint->protocol(), ec);
  }
  if (ec) return Status::Error("opening socket" + where + ": " + ec.message());
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (endpoint->address().is_v6()) acceptor.set_option(asio::ip::v6_only(false), ec);
  acceptor.bind(*endpoint, ec);
  if (ec) return Status::Error("binding" + where + ": " + ec.message());
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Status::Error("listening" + where + ": " + ec.message());
  port_ = acceptor.local_endpoint().port();
  impl_->Accept();
  return Status::Ok();
}

void HttpServer::Shutdown(std::chrono::milliseconds grace, std::function<void()> done) {
  auto& impl = *impl_;
  impl.shutting_down = true;
  impl.shutdown_done = std::move(done);
  beast::error_code ec;
  impl.acceptor.close(ec);
  for (auto& [id, weak] : std::map(impl.sessions)) {
    if (auto s = weak.lock()) s->CloseWhenIdle();
  }
  if (impl.sessions.empty()) return impl.FinishShutdown();
  impl.grace_timer.expires_after(grace);
  impl.grace_timer.async_wait([self = impl_](beast::error_code e) {
    if (!e) self->FinishShutdown();
  });
}

Result<tcp::endpoint> ParseListenAddress(const std::string& address) {
  const auto colon = address.rfind(':');
  if (colon == std::string::npos) {
    return Status::Error("listen address \"" + address + "\" has no :port");
  }
  std::string host = address.substr(0, colon);
  const std::string port_text = address.substr(colon + 1);
  unsigned port = 0;
  if (!ParseNumber(port_text, port) || port > 65535) {
    return Status::Error("listen address \"" + address + "\" has a bad port");
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  asio::ip::address ip;
  if (host.empty()) {
    ip = asio::ip::address_v6::any();  // dual stack, like Go's ":9090"
  } else if (host == "localhost") {
    ip = asio::ip::address_v4::loopback();
  } else {
    beast::error_code ec;
    ip = asio::ip::make_address(host, ec);
    if (ec) return Status::Error("listen address \"" + address + "\": bad IP address");
  }
  return tcp::endpoint(ip, static_cast<unsigned short>(port));
}

}  // namespace vms
