// The API server exporter reading a real nginx's access log (the shipped
// `vms` log_format) in front of a small backend with known routes, statuses,
// delays and JWT challenges (tests/support/api_backend.py): exact counts per
// (method, endpoint, status) against what the test sent, exact histogram
// counts, JWT results and logins, unknown paths in "other", garbage lines
// counted, and no request lost or counted twice across an exporter restart.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <tuple>

#include "support/exporter_process.h"
#include "support/http_client.h"
#include "support/metrics_text.h"
#include "support/nginx_process.h"
#include "support/subprocess.h"

namespace vms::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

class ApiRequestsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_ + "/state");
    backend_port_ = FreePort();
    backend_ = std::make_unique<Subprocess>(
        std::vector<std::string>{"/usr/bin/python3", SourcePath("tests/support/api_backend.py"),
                                 std::to_string(backend_port_)},
        dir_ + "/backend.log");
    ASSERT_TRUE(WaitForPort(backend_port_, 10s));
    nginx_ = std::make_unique<NginxProcess>(
        "include " + SourcePath("deploy/nginx/vms-log-format.conf") + ";\n  access_log " + log() +
            " vms;",
        "location / {\n    proxy_pass http://127.0.0.1:" + std::to_string(backend_port_) +
            ";\n    proxy_http_version 1.1;\n    proxy_set_header Upgrade $http_upgrade;\n"
            "    proxy_set_header Connection $http_connection;\n  }\n");
    ASSERT_TRUE(nginx_->ready()) << nginx_->ErrorLog();
  }

  std::string log() const { return dir_ + "/api-access.log"; }

  void StartExporter() {
    const std::string config = dir_ + "/api.yml";
    std::ofstream(config)
        << "access_logs:\n  - path: " << log() << "\n    format: vms\n    name: api\n"
        << "    routes: ['/api/cameras', '/api/cameras/:id', '/api/cameras/:id/recordings',\n"
        << "             '/api/login', '/health', '/ws', '/api/status/:code']\n"
        << "    login_route: /api/login\n    start_at: beginning\n    poll_interval: 100ms\n"
        << "    state_dir: " << dir_ << "/state\n"
        << "requests:\n  buckets: [0.05, 0.25, 1, 5]\n";
    exporter_ = std::make_unique<ExporterProcess>(
        "api_server_exporter", std::vector<std::string>{"--config.file=" + config});
    ASSERT_TRUE(exporter_->ready()) << exporter_->Log();
  }

  // One request through nginx; what it was counted as is remembered.
  int Send(const std::string& method, const std::string& path, const std::string& endpoint,
           const std::map<std::string, std::string>& headers = {}, const std::string& body = "") {
    const HttpReply r = body.empty() && method != "POST"
                            ? HttpRequestOnce(nginx_->port(), method, path, headers)
                            : HttpPost(nginx_->port(), path, body, headers);
    ++sent_[{method == "BREW" ? "OTHER" : method, endpoint, std::to_string(r.status)}];
    return r.status;
  }

  // Every (method, endpoint, status) the test sent, as /metrics has it.
  void ExpectCountsExactly(unsigned short port) {
    std::uint64_t total = 0;
    for (const auto& [key, n] : sent_) total += n;
    const std::string last = "vms_exporter_log_lines_total{file=\"api\"}";
    ASSERT_THAT(WaitForSample(
                    port, last, [&](auto v) { return v && *v >= total; }, 15s),
                Optional(static_cast<double>(total)))
        << exporter_->Log();
    const std::string body = HttpGet(port, "/metrics").body;
    double exported = 0;
    for (const auto& [key, n] : sent_) {
      const auto& [method, endpoint, status] = key;
      const std::string series = "http_requests_total{method=\"" + method + "\",endpoint=\"" +
                                 endpoint + "\",status=\"" + status + "\"}";
      EXPECT_THAT(FindSample(body, series), Optional(static_cast<double>(n))) << series;
    }
    for (std::size_t at = body.find("\nhttp_requests_total{"); at != std::string::npos;
         at = body.find("\nhttp_requests_total{", at + 1)) {
      exported += std::stod(body.substr(body.find("} ", at) + 2));
    }
    EXPECT_EQ(exported, static_cast<double>(total));
  }

  std::string dir_ = MakeTempDir();
  unsigned short backend_port_ = 0;
  std::unique_ptr<Subprocess> backend_;
  std::unique_ptr<NginxProcess> nginx_;
  std::unique_ptr<ExporterProcess> exporter_;
  std::map<std::tuple<std::string, std::string, std::string>, std::uint64_t> sent_;
};

const std::map<std::string, std::string> kGood = {{"Authorization", "Bearer good"}};

TEST_F(ApiRequestsTest, CountsEveryRequestByRouteStatusJwtAndLoginExactly) {
  StartExporter();
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(Send("GET", "/api/cameras/cam1", "/api/cameras/:id", kGood), 200);
  EXPECT_EQ(Send("GET", "/api/cameras/cam7/", "/api/cameras/:id", kGood), 200);
  EXPECT_EQ(Send("GET", "/api/cameras/nope", "/api/cameras/:id", kGood), 404);
  EXPECT_EQ(Send("GET", "/api/cameras", "/api/cameras", kGood), 200);
  EXPECT_EQ(Send("HEAD", "/api/cameras/cam2", "/api/cameras/:id", kGood), 200);
  // JWT refusals: missing, expired, malformed.
  EXPECT_EQ(Send("GET", "/api/cameras/cam1", "/api/cameras/:id"), 401);
  EXPECT_EQ(
      Send("GET", "/api/cameras/cam1", "/api/cameras/:id", {{"Authorization", "Bearer expired"}}),
      401);
  EXPECT_EQ(Send("GET", "/api/cameras/cam1", "/api/cameras/:id",
                 {{"Authorization", "Bearer eyJhbGciOiJub25lIn0.e30.secret-token-part"}}),
            401);
  EXPECT_EQ(
      Send("GET", "/api/cameras/cam1", "/api/cameras/:id", {{"Authorization", "Bearer expired"}}),
      401);
  // Slow recordings: three at 300 ms.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Send("GET", "/api/cameras/cam3/recordings?delay_ms=300",
                   "/api/cameras/:id/recordings", kGood),
              200);
  }
  // Logins: two good, one bad, one throttled.
  EXPECT_EQ(Send("POST", "/api/login", "/api/login", {}, R"({"user":"op","password":"secret"})"),
            200);
  EXPECT_EQ(Send("POST", "/api/login", "/api/login", {}, R"({"user":"op","password":"secret"})"),
            200);
  EXPECT_EQ(Send("POST", "/api/login", "/api/login", {}, R"({"user":"op","password":"guess"})"),
            401);
  EXPECT_EQ(Send("POST", "/api/login", "/api/login", {}, R"({"user":"locked","password":"x"})"),
            429);
  // Errors, unknown paths (a scanner), a method nobody defined, a websocket.
  EXPECT_EQ(Send("DELETE", "/api/status/503", "/api/status/:code"), 503);
  EXPECT_EQ(Send("GET", "/api/status/500", "/api/status/:code"), 500);
  for (const char* p : {"/wp-login.php", "/.env", "/apix/cameras/cam1", "/admin/a%2Fb"}) {
    EXPECT_EQ(Send("GET", p, "other"), 404);
  }
  // nginx itself refuses a method it does not know: 501, and no token checked.
  EXPECT_EQ(Send("BREW", "/api/cameras/cam1", "/api/cameras/:id", kGood), 501);
  EXPECT_EQ(Send("GET", "/health", "/health"), 200);
  EXPECT_EQ(
      Send("GET", "/ws?hold_ms=200", "/ws", {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}}),
      101);

  ASSERT_NO_FATAL_FAILURE(ExpectCountsExactly(exporter_->port()));
  const std::string body = HttpGet(exporter_->port(), "/metrics").body;
  // The slow route's three requests: above 0.25 s, all below 5 s, sum ~0.9 s.
  const std::string rec = "method=\"GET\",endpoint=\"/api/cameras/:id/recordings\"";
  EXPECT_THAT(FindSample(body, "http_request_duration_seconds_bucket{" + rec + ",le=\"0.25\"}"),
              Optional(0.0));
  EXPECT_THAT(FindSample(body, "http_request_duration_seconds_bucket{" + rec + ",le=\"5\"}"),
              Optional(3.0));
  EXPECT_THAT(FindSample(body, "http_request_duration_seconds_count{" + rec + "}"), Optional(3.0));
  const double sum = FindSample(body, "http_request_duration_seconds_sum{" + rec + "}").value_or(0);
  EXPECT_GE(sum, 0.9);
  EXPECT_LT(sum, 3.0);
  // Every GET on cameras/:id is timed: 5 + 1 + 1 + the four refused.
  EXPECT_THAT(
      FindSample(
          body,
          "http_request_duration_seconds_count{method=\"GET\",endpoint=\"/api/cameras/:id\"}"),
      Optional(11.0));
  // The websocket is counted but not timed.
  EXPECT_THAT(
      body, Not(HasSubstr("http_request_duration_seconds_count{method=\"GET\",endpoint=\"/ws\"}")));
  // JWT: 5 + 1 + 1 + 1 (list) + 1 (HEAD) + 3 valid (the BREW's 501 is not a validation), one
  // missing, two expired, one invalid.
  EXPECT_THAT(FindSample(body, "jwt_token_validations_total{result=\"valid\"}"), Optional(12.0));
  EXPECT_THAT(FindSample(body, "jwt_token_validations_total{result=\"missing\"}"), Optional(1.0));
  EXPECT_THAT(FindSample(body, "jwt_token_validations_total{result=\"expired\"}"), Optional(2.0));
  EXPECT_THAT(FindSample(body, "jwt_token_validations_total{result=\"invalid\"}"), Optional(1.0));
  EXPECT_THAT(FindSample(body, "auth_login_attempts_total{result=\"success\"}"), Optional(2.0));
  EXPECT_THAT(FindSample(body, "auth_login_attempts_total{result=\"failure\"}"), Optional(1.0));
  EXPECT_THAT(FindSample(body, "auth_login_attempts_total{result=\"throttled\"}"), Optional(1.0));
  // No path, token or camera name leaks into a label.
  for (const char* leak : {"cam1", "secret", "wp-login", "eyJ", "delay_ms"}) {
    EXPECT_THAT(body, Not(HasSubstr(leak))) << leak;
  }
  const std::string raw = dir_ + "/metrics.txt";
  std::ofstream(raw) << body;
  const CommandResult lint = RunCommand("promtool check metrics < " + raw);
  EXPECT_EQ(lint.exit_code, 0) << lint.output;
  EXPECT_EQ(lint.output, "");
  // The landing page's table.
  const std::string page = HttpGet(exporter_->port(), "/").body;
  EXPECT_THAT(page, HasSubstr("API endpoints"));
  EXPECT_THAT(page, HasSubstr("/api/cameras/:id/recordings"));
}

TEST_F(ApiRequestsTest, GarbageLinesAreParseErrorsAndARestartLosesNothing) {
  StartExporter();
  for (int i = 0; i < 20; ++i) Send("GET", "/api/cameras/cam1", "/api/cameras/:id", kGood);
  ASSERT_NO_FATAL_FAILURE(ExpectCountsExactly(exporter_->port()));

  // Hostile bytes in the log: the exporter counts them and keeps going.
  {
    std::ofstream out(log(), std::ios::app);
    out << "garbage\n"
        << std::string(100, '\xff') << "\n"
        << "vms1\t1\t2\n";
  }
  const std::string errors = "vms_exporter_log_parse_errors_total{file=\"api\"}";
  ASSERT_THAT(WaitForSample(
                  exporter_->port(), errors, [](auto v) { return v && *v == 3; }, 15s),
              Optional(3.0))
      << exporter_->Log();
  // A restart in the middle of traffic: requests sent while it is down are
  // read from the checkpoint on, none twice.
  // A clean stop (SIGTERM, as systemd stops it) writes the checkpoint.
  exporter_->process().Signal(SIGTERM);
  ASSERT_NE(exporter_->process().Wait(10s), -1);
  exporter_.reset();
  for (int i = 0; i < 7; ++i)
    Send("POST", "/api/login", "/api/login", {}, R"({"password":"secret"})");
  Send("GET", "/nowhere", "other");
  StartExporter();
  for (int i = 0; i < 4; ++i) Send("GET", "/health", "/health");
  // The new process counts from its checkpoint on: what came after it.
  sent_.erase({"GET", "/api/cameras/:id", "200"});
  ASSERT_NO_FATAL_FAILURE(ExpectCountsExactly(exporter_->port()));
  const std::string body = HttpGet(exporter_->port(), "/metrics").body;
  EXPECT_THAT(FindSample(body, errors), Optional(0.0));  // the first process read them
  EXPECT_THAT(FindSample(body, "auth_login_attempts_total{result=\"success\"}"), Optional(7.0));
}

}  // namespace
}  // namespace vms::test
