#include "api_server/health_check_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/subprocess.h"

namespace vms::api_server {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSecret[] = "Hunter-2-Secret";
constexpr char kToken[] = "tok-3f9c2a";

class HealthCheckConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::MakeTempDir();
    std::ofstream(dir_ + "/pw") << kSecret << "\r\n";
    std::ofstream(dir_ + "/token") << kToken << "\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::vector<HealthCheckConfig> Parse(const std::string& yaml, ProbeDefaults defaults = {}) {
    MapReader root(ParseYaml(yaml, file()), file(), "");
    auto checks = ParseHealthChecks(root, defaults);
    root.Finish();
    return checks;
  }
  HealthCheckConfig One(const std::string& entry, ProbeDefaults defaults = {}) {
    auto checks = Parse("health_checks:\n  - " + entry, defaults);
    EXPECT_EQ(checks.size(), 1u);
    return checks.empty() ? HealthCheckConfig{} : checks[0];
  }
  std::string ErrorOf(const std::string& yaml) {
    try {
      Parse(yaml);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }
  // The error of one entry: `target: api` plus `rest`.
  std::string EntryError(const std::string& rest) {
    return ErrorOf("health_checks:\n  - target: api\n    " + rest);
  }
  std::string file() const { return dir_ + "/api.yml"; }
  std::string dir_;
};

TEST_F(HealthCheckConfigTest, MinimalEntryTakesTheDefaults) {
  const HealthCheckConfig c = One("target: api\n    url: http://127.0.0.1:8080/health\n",
                                  ProbeDefaults{milliseconds(15'000), milliseconds(3'000), 8});
  EXPECT_EQ(c.target, "api");
  EXPECT_EQ(c.url, "http://127.0.0.1:8080/health");
  EXPECT_EQ(c.method, "GET");
  EXPECT_TRUE(c.headers.empty());
  EXPECT_EQ(c.interval, milliseconds(15'000));
  EXPECT_EQ(c.timeout, milliseconds(3'000));
  EXPECT_TRUE(c.valid_status_codes.empty());
  EXPECT_EQ(c.body_regex, "");
  EXPECT_EQ(c.max_body_bytes, 64u * 1024);
  EXPECT_EQ(c.username, "");
  EXPECT_EQ(c.password, "");
  EXPECT_EQ(c.bearer_token, "");
  EXPECT_EQ(c.tls.ca_file, "");
  EXPECT_FALSE(c.tls.insecure_skip_verify);
  EXPECT_TRUE(c.checks.empty());
  EXPECT_EQ(c.max_checks, kMaxHealthChecksDefault);
  EXPECT_TRUE(Parse("").empty());
  EXPECT_TRUE(Parse("health_checks: []\n").empty());
}

TEST_F(HealthCheckConfigTest, EveryKey) {
  const HealthCheckConfig c = One(R"y(target: api.main:1
    url: https://127.0.0.1:8443/health?full=1
    method: POST
    headers: ['Accept: application/json', 'X-Probe:  exporter']
    interval: 30s
    timeout: 2s
    valid_status_codes: [200, 204]
    body_regex: '"status":\s*"(ok|UP)"'
    max_body_bytes: 4096
    username: monitor
    password_file: pw
    tls_config:
      ca_file: ca.pem
      server_name: api.example
      cert_file: /etc/client.pem
      key_file: client.key
      insecure_skip_verify: true
    checks: [database, cache, storage, cache]
    max_checks: 5
)y");
  EXPECT_EQ(c.target, "api.main:1");
  EXPECT_EQ(c.url, "https://127.0.0.1:8443/health?full=1");
  EXPECT_EQ(c.method, "POST");
  EXPECT_EQ(c.headers, (std::vector<std::pair<std::string, std::string>>{
                           {"Accept", "application/json"}, {"X-Probe", "exporter"}}));
  EXPECT_EQ(c.interval, milliseconds(30'000));
  EXPECT_EQ(c.timeout, milliseconds(2'000));
  EXPECT_EQ(c.valid_status_codes, (std::vector<int>{200, 204}));
  EXPECT_EQ(c.body_regex, R"y("status":\s*"(ok|UP)")y");
  EXPECT_EQ(c.max_body_bytes, 4096u);
  EXPECT_EQ(c.username, "monitor");
  EXPECT_EQ(c.password, kSecret);  // relative to the config, line break dropped
  // Relative TLS paths are the config file's directory's.
  EXPECT_EQ(c.tls.ca_file, dir_ + "/ca.pem");
  EXPECT_EQ(c.tls.server_name, "api.example");
  EXPECT_EQ(c.tls.cert_file, "/etc/client.pem");
  EXPECT_EQ(c.tls.key_file, dir_ + "/client.key");
  EXPECT_TRUE(c.tls.insecure_skip_verify);
  EXPECT_EQ(c.checks, (std::vector<std::string>{"database", "cache", "storage"}));  // deduplicated
  EXPECT_EQ(c.max_checks, 5u);
}

TEST_F(HealthCheckConfigTest, TimeoutDefaultsToAtMostTheInterval) {
  // The default timeout (5s) is cut to a shorter interval rather than refused.
  EXPECT_EQ(One("target: a\n    url: http://h/\n    interval: 1s\n").timeout, milliseconds(1'000));
  EXPECT_THAT(EntryError("url: http://h/\n    interval: 1s\n    timeout: 2s\n"),
              HasSubstr("timeout: must not exceed interval"));
  EXPECT_THAT(EntryError("url: http://h/\n    interval: 10ms\n"), HasSubstr("interval"));
}

TEST_F(HealthCheckConfigTest, BearerTokenFromItsFile) {
  const HealthCheckConfig c = One("target: a\n    url: http://h/\n    bearer_token_file: token\n");
  EXPECT_EQ(c.bearer_token, kToken);
  EXPECT_EQ(c.username, "");
}

TEST_F(HealthCheckConfigTest, UserFromTheUrlIsSplitOff) {
  const HealthCheckConfig c =
      One("target: a\n    url: http://mon%40itor@127.0.0.1/health\n    password_file: pw\n");
  EXPECT_EQ(c.url, "http://127.0.0.1/health");
  EXPECT_EQ(c.username, "mon@itor");
  EXPECT_EQ(c.password, kSecret);
}

TEST_F(HealthCheckConfigTest, BadValuesNameFileLineAndKey) {
  const std::string at = file() + ":";
  struct Case {
    std::string yaml;
    std::string error;
  } cases[] = {
      {"health_checks:\n  - url: http://h/\n", "health_checks[0].target"},
      {"health_checks:\n  - target: api\n", "health_checks[0].url"},
      {"health_checks:\n  - target: 'a b'\n    url: http://h/\n",
       "health_checks[0].target: must be 1-64 characters"},
      {"health_checks:\n  - target: api\n    url: http://h/\n  - target: api\n    url: http://g/\n",
       "health_checks[1].target: duplicate target \"api\""},
      {"health_checks:\n  - target: api\n    url: ftp://h/\n", "url: must start with http://"},
      {"health_checks:\n  - target: api\n    url: 'http://h/a b'\n", "spaces"},
      {"health_checks:\n  - target: api\n    url: http://h/\n    method: DELETE\n",
       "method: must be GET, HEAD, POST or OPTIONS"},
      {"health_checks:\n  - target: api\n    url: http://h/\n    headers: ['NoColon']\n",
       "headers: each is \"Name: value\""},
      {"health_checks:\n  - target: api\n    url: http://h/\n    headers: ['Content-Length: 3']\n",
       "header Content-Length is set by the client"},
      {"health_checks:\n  - target: api\n    url: http://h/\n    valid_status_codes: [200, 600]\n",
       "valid_status_codes"},
      {"health_checks:\n  - target: api\n    url: http://h/\n    body_regex: '(a)\\1'\n",
       "body_regex"},
      {"health_checks:\n  - target: api\n    url: http://h/\n    body_regex: '(ok'\n",
       "body_regex"},
      {"health_checks:\n  - target: api\n    url: http://h/\n    max_body_bytes: 0\n",
       "max_body_bytes"},
      {"health_checks:\n  - target: api\n    url: http://h/\n    tls_config:\n      cert_file: c\n",
       "tls_config.cert_file: cert_file and key_file go together"},
      {"health_checks:\n  - target: api\n    url: http://h/\n    tls_config:\n      cafile: c\n",
       "tls_config.cafile: unknown key"},
      {"health_checks:\n  - target: api\n    url: http://h/\n    checks: ['a b']\n",
       "checks: a check name must be 1-64 characters"},
      {"health_checks:\n  - target: api\n    url: http://h/\n    checks: [a, b]\n    max_checks: "
       "1\n",
       "checks: more names than max_checks"},
      {"health_checks:\n  - target: api\n    url: http://h/\n    max_checks: 257\n", "max_checks"},
      {"health_checks:\n  - target: api\n    url: http://h/\n    targets: x\n",
       "health_checks[0].targets: unknown key"},
      {"health_checks:\n  - target: api\n    url: http://h/\n    password_file: pw\n",
       "password_file: needs username"},
      {"health_checks:\n  - target: api\n    url: http://h/\n    username: u\n"
       "    bearer_token_file: token\n",
       "bearer_token_file: is exclusive with username"},
      {"health_checks:\n  - target: api\n    url: http://h/\n    username: u\n"
       "    password_file: missing\n",
       "password_file"},
      {"health_checks: {target: api}\n", "health_checks: expected a list"},
  };
  for (const Case& c : cases) {
    const std::string error = ErrorOf(c.yaml);
    EXPECT_THAT(error, HasSubstr(c.error)) << c.yaml;
    EXPECT_THAT(error, HasSubstr(at)) << c.yaml;
  }
}

TEST_F(HealthCheckConfigTest, AtMost64Targets) {
  std::string yaml = "health_checks:\n";
  for (int i = 0; i <= static_cast<int>(kMaxHealthTargets); ++i) {
    yaml += "  - target: t" + std::to_string(i) + "\n    url: http://h/\n";
  }
  EXPECT_THAT(ErrorOf(yaml), HasSubstr("more than 64 health checks"));
}

TEST_F(HealthCheckConfigTest, CredentialsNeverInErrors) {
  // A password in the URL is refused without quoting the URL.
  const std::string in_url =
      EntryError(std::string("url: http://monitor:") + kSecret + "@127.0.0.1/health\n");
  EXPECT_THAT(in_url, HasSubstr("url: holds a password; give username and password_file"));
  const std::string inline_password =
      EntryError(std::string("url: http://h/\n    username: u\n    password: ") + kSecret + "\n");
  EXPECT_THAT(inline_password, HasSubstr("password: inline passwords are not accepted"));
  // Errors after the secrets were read do not carry them either.
  const std::string later =
      EntryError("url: http://h/\n    username: u\n    password_file: pw\n    method: DELETE\n");
  EXPECT_THAT(later, HasSubstr("method"));
  const std::string token =
      EntryError("url: http://h/\n    username: u\n    bearer_token_file: token\n");
  // A credential in a header is refused like an inline password.
  const std::string header = EntryError(
      std::string("url: http://h/\n    headers: ['authorization: Bearer ") + kToken + "']\n");
  EXPECT_THAT(header, HasSubstr("headers: authorization is a credential; use username and "
                                "password_file, or bearer_token_file"));
  EXPECT_THAT(EntryError("url: http://h/\n    headers: ['Proxy-Authorization: Basic eA==']\n"),
              HasSubstr("headers: Proxy-Authorization is a credential"));
  for (const std::string& e : {in_url, inline_password, later, token, header}) {
    EXPECT_THAT(e, Not(HasSubstr(kSecret)));
    EXPECT_THAT(e, Not(HasSubstr(kToken)));
    EXPECT_THAT(e, Not(HasSubstr("127.0.0.1")));  // the URL is not echoed
  }
}

TEST_F(HealthCheckConfigTest, EqualityCoversEverySetting) {
  const std::string base = "target: a\n    url: http://h/\n";
  const HealthCheckConfig a = One(base);
  EXPECT_EQ(a, One(base));
  for (const char* change :
       {"interval: 20s\n", "timeout: 1s\n", "method: HEAD\n", "headers: ['A: b']\n",
        "valid_status_codes: [200]\n", "body_regex: ok\n", "max_body_bytes: 10\n", "username: u\n",
        "bearer_token_file: token\n", "checks: [db]\n", "max_checks: 3\n",
        "tls_config:\n      insecure_skip_verify: true\n", "tls_config:\n      server_name: x\n"}) {
    EXPECT_FALSE(a == One(base + "    " + std::string(change))) << change;
  }
  EXPECT_FALSE(One(base + "    username: u\n") ==
               One(base + "    username: u\n    password_file: pw\n"));
}

TEST_F(HealthCheckConfigTest, HttpProbeConfigCarriesTheSettings) {
  const HealthCheckConfig c =
      One("target: a\n    url: http://127.0.0.1:1/health\n    headers: ['Accept: */*']\n"
          "    timeout: 700ms\n    valid_status_codes: [204]\n    body_regex: 'o+k'\n"
          "    max_body_bytes: 100\n    username: u\n    password_file: pw\n");
  auto p = MakeHttpProbeConfig(c);
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p->target, "a");
  EXPECT_EQ(p->request.method, "GET");
  EXPECT_EQ(p->request.url, "http://127.0.0.1:1/health");
  EXPECT_EQ(p->request.headers, c.headers);
  EXPECT_EQ(p->request.timeout, milliseconds(700));
  EXPECT_EQ(p->request.max_body_bytes, 100u);
  EXPECT_EQ(p->request.basic_user, "u");
  EXPECT_EQ(p->request.basic_password, kSecret);
  EXPECT_EQ(p->valid_status_codes, (std::vector<int>{204}));
  ASSERT_TRUE(p->body_regex);
  EXPECT_TRUE(std::regex_search("status: ooook", *p->body_regex));
  EXPECT_FALSE(p->request.tls_context);
}

TEST_F(HealthCheckConfigTest, HttpsWithAMissingCaFileIsASetupErrorNotAConfigError) {
  // The file may appear later (a reload then picks it up): the config loads,
  // the probe's setup says what is wrong.
  const HealthCheckConfig c =
      One("target: a\n    url: https://127.0.0.1:1/\n    tls_config:\n      ca_file: none.pem\n");
  auto p = MakeHttpProbeConfig(c);
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.error(), HasSubstr("none.pem"));
}

}  // namespace
}  // namespace vms::api_server
