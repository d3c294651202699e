#include "vms/app/exporter_runtime.h"

#include <malloc.h>

#include <cmath>
#include <functional>
#include <future>

#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include "vms/app/landing_page.h"
#include "vms/app/self_collector.h"
#include "vms/base/text.h"
#include "vms/http/http_server.h"
#include "vms/http/web_config.h"
#include "vms/version.h"

namespace vms {
namespace {
constexpr double kDefaultScrapeSeconds = 10;  // Prometheus' default scrape_timeout
constexpr auto kShutdownGrace = std::chrono::milliseconds(900);
constexpr auto kMallocTrimPeriod = std::chrono::seconds(10);
}  // namespace

double ScrapeBudgetSeconds(std::string_view header, double offset, double fallback) {
  double seconds = 0;
  if (!ParseNumber(header, seconds) || !(seconds > 0) || !std::isfinite(seconds)) return fallback;
  return std::max(seconds - offset, 0.1);
}

ExporterRuntime::ExporterRuntime(RoleInfo role, CommonOptions options)
    : role_(std::move(role)), options_(std::move(options)) {
  collectors_.Add(std::make_unique<SelfCollector>(role_.role, &reload_state_));
}

ExporterRuntime::~ExporterRuntime() = default;

Status ExporterRuntime::ReloadFromAnyThread() {
  if (!reload_) return Status::Ok();
  // Reload touches probes and timers, which live on the event loop.
  std::promise<Status> result;
  auto future = result.get_future();
  boost::asio::post(io_, [this, &result] { result.set_value(reload_()); });
  if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
    return Status::Error("reload did not finish within 30s");
  }
  return future.get();
}

int ExporterRuntime::Run() {
  std::shared_ptr<WebSecurity> security;
  if (!options_.web_config_file.empty()) {
    auto loaded = LoadWebConfig(options_.web_config_file);
    if (!loaded) {
      spdlog::error("{}", loaded.error());
      return 1;
    }
    security = *loaded;
  }

  HttpServerOptions server_options;
  server_options.listen_address = options_.listen_address;
  server_options.max_requests = options_.max_requests;
  HttpServer server(io_, server_options, security);

  const double offset = options_.scrape_timeout_offset_seconds;
  server.Route("GET", options_.telemetry_path, [this, offset](const HttpRequest& req) {
    const double budget = ScrapeBudgetSeconds(req.scrape_timeout, offset, kDefaultScrapeSeconds);
    ScrapeContext ctx{std::chrono::steady_clock::now() +
                      std::chrono::microseconds(static_cast<long long>(budget * 1e6))};
    return HttpResponse{200, "text/plain; version=0.0.4; charset=utf-8", collectors_.Scrape(ctx),
                        true};
  });
  server.Route("GET", "/", [this](const HttpRequest&) {
    return HttpResponse{200, "text/html; charset=utf-8",
                        RenderLandingPage(role_, options_.telemetry_path, collectors_.Status()),
                        true};
  });
  server.Route("GET", "/-/healthy", [](const HttpRequest&) {
    return HttpResponse{200, "text/plain; charset=utf-8", "Healthy\n", false};
  });
  server.Route("GET", "/-/ready", [](const HttpRequest&) {
    return HttpResponse{200, "text/plain; charset=utf-8", "Ready\n", false};
  });
  server.Route("POST", "/-/reload", [this](const HttpRequest&) {
    const Status s = ReloadFromAnyThread();
    if (!s.ok()) return HttpResponse{500, "text/plain; charset=utf-8", s.message() + "\n", false};
    return HttpResponse{200, "text/plain; charset=utf-8", "Reloaded\n", false};
  });

  if (Status s = server.Start(); !s.ok()) {
    spdlog::error("{}", s.message());
    return 1;
  }
  spdlog::info("{} {} (revision {}) listening on {}{}", role_.binary, kVersion, kRevision,
               options_.listen_address, security ? " (web config applied)" : "");

  boost::asio::signal_set stop_signals(io_, SIGINT, SIGTERM);
  stop_signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("received signal {}, shutting down", signal);
    server.Shutdown(kShutdownGrace, [this] { io_.stop(); });
  });
  boost::asio::signal_set hup(io_, SIGHUP);
  std::function<void()> wait_hup = [&] {
    hup.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec) return;
      // The holder has logged a failure and set the reload gauge.
      if (reload_) static_cast<void>(reload_());
      wait_hup();
    });
  };
  wait_hup();

  // glibc returns memory only from the top of an arena; pages freed in the
  // middle (a scrape's families, a demuxer's buffers between passes) stay
  // resident until malloc_trim(0), which takes well under a millisecond on
  // a heap of a few MB.
  boost::asio::steady_timer trim(io_);
  std::function<void()> schedule_trim = [&] {
    trim.expires_after(kMallocTrimPeriod);
    trim.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      malloc_trim(0);
      schedule_trim();
    });
  };
  schedule_trim();

  io_.run();
  return 0;
}

}  // namespace vms
