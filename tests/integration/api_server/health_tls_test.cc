// The API server exporter's https health checks against Debian's nginx with
// a throwaway PKI (tests/integration/httpclient/nginx_fixture.h): a trusted
// chain is up with its expiry exported (the CA's, the earliest of the chain,
// as the openssl CLI reads it), an expired or unknown certificate is a tls
// failure, and the handshake is a phase of its own.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <memory>

#include "integration/httpclient/nginx_fixture.h"
#include "support/exporter_process.h"
#include "support/http_client.h"
#include "support/metrics_text.h"
#include "support/subprocess.h"

namespace vms::test {
namespace {

using namespace std::chrono_literals;
using ::testing::Ge;
using ::testing::Gt;
using ::testing::Optional;

std::string Series(const std::string& name, const std::string& target,
                   const std::string& extra = "") {
  return name + "{target=\"" + target + "\"" + (extra.empty() ? "" : "," + extra) + "}";
}

class HealthTlsTest : public NginxSuite {};

TEST_F(HealthTlsTest, TrustedChainUpWithExpiryExpiredAndUnknownAreTls) {
  const std::string dir = MakeTempDir();
  const std::string config = dir + "/api.yml";
  std::ofstream(config) << "probes:\n  interval: 1s\n  timeout: 900ms\n"
                        << "health_checks:\n"
                        << "  - target: trusted\n    url: " << nginx_->Https("/health") << "\n"
                        << "    body_regex: '\"status\":\"ok\"'\n"
                        << "    tls_config:\n      ca_file: " << nginx_->ca_file() << "\n"
                        << "  - target: expired\n    url: " << nginx_->Https("/health") << "\n"
                        << "    tls_config:\n      ca_file: " << nginx_->ca_file()
                        << "\n      server_name: expired.test\n"
                        << "  - target: unknown_ca\n    url: " << nginx_->Https("/health") << "\n";
  ExporterProcess exporter("api_server_exporter", {"--config.file=" + config});
  ASSERT_TRUE(exporter.ready()) << exporter.Log();
  const unsigned short port = exporter.port();
  for (const char* target : {"trusted", "expired", "unknown_ca"}) {
    ASSERT_THAT(WaitForSample(port, Series("api_probes_total", target), SampleAtLeast(2), 15s),
                Optional(Ge(2.0)))
        << target << "\n"
        << exporter.Log();
  }
  const std::string body = HttpGet(port, "/metrics").body;

  EXPECT_THAT(FindSample(body, Series("api_up", "trusted")), Optional(1.0));
  EXPECT_THAT(FindSample(body, Series("api_probe_status_code", "trusted")), Optional(200.0));
  EXPECT_THAT(FindSample(body, Series("api_probe_duration_seconds", "trusted", "phase=\"tls\"")),
              Optional(Gt(0.0)));
  // The chain's earliest notAfter: the CA's (3 days) before the leaf's (40).
  EXPECT_THAT(FindSample(body, Series("api_tls_cert_expiry_timestamp_seconds", "trusted")),
              Optional(static_cast<double>(nginx_->NotAfter("ca.crt"))));
  EXPECT_THAT(FindSample(body, Series("api_probe_failures_total", "trusted", "reason=\"tls\"")),
              Optional(0.0));

  // Refused handshakes: every probe a tls failure, no status.
  for (const char* target : {"expired", "unknown_ca"}) {
    EXPECT_THAT(FindSample(body, Series("api_up", target)), Optional(0.0)) << target;
    EXPECT_THAT(FindSample(body, Series("api_probe_status_code", target)), Optional(0.0));
    EXPECT_EQ(FindSample(body, Series("api_probe_failures_total", target, "reason=\"tls\"")),
              FindSample(body, Series("api_probes_total", target)))
        << target;
    for (const char* reason : {"connect", "timeout", "status", "body", "protocol"}) {
      EXPECT_THAT(FindSample(body, Series("api_probe_failures_total", target,
                                          std::string("reason=\"") + reason + "\"")),
                  Optional(0.0))
          << target << " " << reason;
    }
  }

  const std::string raw = dir + "/metrics.txt";
  std::ofstream(raw) << body;
  const CommandResult lint = RunCommand("promtool check metrics < " + raw);
  EXPECT_EQ(lint.exit_code, 0) << lint.output;
  EXPECT_EQ(lint.output, "");
}

}  // namespace
}  // namespace vms::test
