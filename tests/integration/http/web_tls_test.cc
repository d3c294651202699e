// --web.config.file end to end: the real exporter, certificates from the
// openssl CLI, bcrypt hashes from htpasswd, and curl / openssl s_client as
// the clients Prometheus operators would use to check a deployment.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "support/exporter_process.h"
#include "support/subprocess.h"

namespace vms {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kBinary[] = "recording_node_exporter";

// A CA, two server certificates (for rotation), a client certificate it
// signed and a self-signed one it did not; all shared by the suite.
std::string* pki_dir = nullptr;
std::string* alice_hash = nullptr;

// The whole command's stderr is captured (RunCommand redirects only the last
// command of a list) so that a failure is explained and success is quiet.
std::string MustRun(const std::string& command) {
  const auto result = test::RunCommand("(" + command + ")");
  EXPECT_EQ(result.exit_code, 0) << command << "\n" << result.output;
  return result.output;
}

class WebTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_dir = new std::string(test::MakeTempDir());
    const std::string key = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
    MustRun("cd " + *pki_dir + " && openssl req -x509 " + key +
            " -keyout ca.key -out ca.crt -days 2 -subj /CN=vms-test-ca");
    std::ofstream(*pki_dir + "/server.ext") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
    std::ofstream(*pki_dir + "/client.ext") << "subjectAltName=DNS:scraper.example,IP:10.0.0.7\n";
    for (const std::string name : {"server-one", "server-two", "client"}) {
      const std::string serial = name == "server-one"   ? "1001"
                                 : name == "server-two" ? "2002"
                                                        : "3003";
      const std::string ext = name == "client" ? " -extfile client.ext" : " -extfile server.ext";
      MustRun("cd " + *pki_dir + " && openssl req -new " + key + " -keyout " + name + ".key -out " +
              name + ".csr -subj /CN=" + name + " && openssl x509 -req -in " + name +
              ".csr -CA ca.crt -CAkey ca.key -set_serial " + serial + " -days 2" + ext + " -out " +
              name + ".crt");
    }
    MustRun("cd " + *pki_dir + " && openssl req -x509 " + key +
            " -keyout rogue.key -out rogue.crt -days 2 -subj /CN=rogue");
    const std::string line = MustRun("htpasswd -nbBC 10 alice secret");
    alice_hash = new std::string(line.substr(line.find(':') + 1));
    while (!alice_hash->empty() && std::isspace(static_cast<unsigned char>(alice_hash->back()))) {
      alice_hash->pop_back();
    }
  }

  static void TearDownTestSuite() {
    std::filesystem::remove_all(*pki_dir);
    delete pki_dir;
    delete alice_hash;
  }

  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Copies server-one's files as server.crt/key beside the web config, so
  // relative paths (resolved against the config's directory) are exercised.
  void SetUp() override {
    Copy("server-one.crt", "server.crt");
    Copy("server-one.key", "server.key");
  }

  void Copy(const std::string& from, const std::string& to) {
    // Renamed into place, as certificate managers do, so a reload never sees
    // half a file.
    std::filesystem::copy_file(*pki_dir + "/" + from, dir_ + "/" + to + ".tmp",
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::rename(dir_ + "/" + to + ".tmp", dir_ + "/" + to);
  }

  std::unique_ptr<test::ExporterProcess> Start(const std::string& web_yml,
                                               const std::string& binary = kBinary) {
    std::ofstream(dir_ + "/web.yml") << web_yml;
    auto exporter = std::make_unique<test::ExporterProcess>(
        binary, std::vector<std::string>{"--web.config.file=" + dir_ + "/web.yml"});
    EXPECT_TRUE(exporter->ready()) << exporter->Log();
    return exporter;
  }

  static std::string TlsConfig(const std::string& extra = "") {
    return "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n" + extra;
  }

  // curl's exit code and "HTTP=<status>" (000 when no response came back).
  static test::CommandResult Curl(const test::ExporterProcess& exporter, const std::string& args,
                                  const std::string& scheme = "https") {
    return test::RunCommand("curl -sS --max-time 10 -o /dev/null -w 'HTTP=%{http_code}' " + args +
                            " " + scheme + "://127.0.0.1:" + std::to_string(exporter.port()) +
                            "/metrics");
  }

  static std::string CaArgs() { return "--cacert " + *pki_dir + "/ca.crt"; }
  static std::string ClientCert(const std::string& name) {
    return " --cert " + *pki_dir + "/" + name + ".crt --key " + *pki_dir + "/" + name + ".key";
  }

  // The subject and serial of the certificate a new connection is served.
  static std::string ServedCertificate(const test::ExporterProcess& exporter) {
    return test::RunCommand(
               "timeout 10 openssl s_client -connect 127.0.0.1:" + std::to_string(exporter.port()) +
               " </dev/null 2>/dev/null | openssl x509 -noout -subject -serial")
        .output;
  }

  static test::CommandResult Handshake(const test::ExporterProcess& exporter,
                                       const std::string& version_flag) {
    return test::RunCommand("timeout 10 openssl s_client -brief " + version_flag +
                            " -connect 127.0.0.1:" + std::to_string(exporter.port()) +
                            " </dev/null");
  }

  std::string dir_ = test::MakeTempDir();
};

TEST_F(WebTlsTest, ServesHttpsAndRefusesPlainHttp) {
  auto exporter = Start(TlsConfig());
  const auto body = test::RunCommand("curl -sS --max-time 10 " + CaArgs() + " https://localhost:" +
                                     std::to_string(exporter->port()) + "/metrics");
  EXPECT_EQ(body.exit_code, 0) << body.output;
  EXPECT_THAT(body.output, HasSubstr("# TYPE"));

  const auto plain = Curl(*exporter, "", "http");
  EXPECT_NE(plain.exit_code, 0) << plain.output;
  EXPECT_THAT(plain.output, Not(HasSubstr("HTTP=200")));

  const auto untrusted = Curl(*exporter, "");  // no --cacert: the test CA is not trusted
  EXPECT_NE(untrusted.exit_code, 0) << untrusted.output;
}

TEST_F(WebTlsTest, BasicAuthOverTls) {
  auto exporter = Start(TlsConfig() + "basic_auth_users:\n  alice: " + *alice_hash + "\n");
  EXPECT_THAT(Curl(*exporter, CaArgs() + " -u alice:secret").output, HasSubstr("HTTP=200"));
  EXPECT_THAT(Curl(*exporter, CaArgs() + " -u alice:secret").output, HasSubstr("HTTP=200"));
  EXPECT_THAT(Curl(*exporter, CaArgs() + " -u alice:wrong").output, HasSubstr("HTTP=401"));
  EXPECT_THAT(Curl(*exporter, CaArgs() + " -u alice:").output, HasSubstr("HTTP=401"));
  EXPECT_THAT(Curl(*exporter, CaArgs()).output, HasSubstr("HTTP=401"));
  EXPECT_THAT(Curl(*exporter, CaArgs() + " -u mallory:secret").output, HasSubstr("HTTP=401"));

  const auto headers =
      test::RunCommand("curl -sS --max-time 10 -D - -o /dev/null " + CaArgs() +
                       " https://127.0.0.1:" + std::to_string(exporter->port()) + "/metrics");
  EXPECT_THAT(headers.output, HasSubstr("WWW-Authenticate: Basic"));
  EXPECT_THAT(exporter->Log(), Not(HasSubstr("secret")));
}

TEST_F(WebTlsTest, EveryRoleServesEveryEndpointOverHttpsWithBasicAuth) {
  for (const char* binary :
       {"recording_node_exporter", "streaming_gateway_exporter", "api_server_exporter"}) {
    auto exporter =
        Start(TlsConfig() + "basic_auth_users:\n  alice: " + *alice_hash + "\n", binary);
    const std::string base = "https://127.0.0.1:" + std::to_string(exporter->port());
    for (const char* path : {"/metrics", "/", "/-/healthy", "/-/ready"}) {
      const auto ok = test::RunCommand("curl -sS --max-time 10 -o /dev/null -w 'HTTP=%{http_code}' " +
                                       CaArgs() + " -u alice:secret " + base + path);
      EXPECT_THAT(ok.output, HasSubstr("HTTP=200")) << binary << " " << path;
      const auto denied = test::RunCommand(
          "curl -sS --max-time 10 -o /dev/null -w 'HTTP=%{http_code}' " + CaArgs() + " " + base + path);
      EXPECT_THAT(denied.output, HasSubstr("HTTP=401")) << binary << " " << path;
    }
    const auto reload = test::RunCommand(
        "curl -sS --max-time 10 -o /dev/null -w 'HTTP=%{http_code}' -X POST " + CaArgs() +
        " -u alice:secret " + base + "/-/reload");
    EXPECT_THAT(reload.output, HasSubstr("HTTP=200")) << binary;
    const auto missing = test::RunCommand(
        "curl -sS --max-time 10 -o /dev/null -w 'HTTP=%{http_code}' " + CaArgs() +
        " -u alice:secret " + base + "/nope");
    EXPECT_THAT(missing.output, HasSubstr("HTTP=404")) << binary;
  }
}

TEST_F(WebTlsTest, BasicAuthWithoutTls) {
  auto exporter = Start("basic_auth_users:\n  alice: " + *alice_hash + "\n");
  EXPECT_THAT(Curl(*exporter, "-u alice:secret", "http").output, HasSubstr("HTTP=200"));
  EXPECT_THAT(Curl(*exporter, "-u alice:wrong", "http").output, HasSubstr("HTTP=401"));
}

TEST_F(WebTlsTest, RequireAndVerifyClientCert) {
  auto exporter = Start(TlsConfig("  client_ca_file: " + *pki_dir +
                                  "/ca.crt\n  client_auth_type: RequireAndVerifyClientCert\n"));
  EXPECT_THAT(Curl(*exporter, CaArgs() + ClientCert("client")).output, HasSubstr("HTTP=200"));
  const auto none = Curl(*exporter, CaArgs());
  EXPECT_NE(none.exit_code, 0) << none.output;
  EXPECT_THAT(none.output, Not(HasSubstr("HTTP=200")));
  const auto rogue = Curl(*exporter, CaArgs() + ClientCert("rogue"));
  EXPECT_NE(rogue.exit_code, 0) << rogue.output;
  EXPECT_THAT(rogue.output, Not(HasSubstr("HTTP=200")));
}

TEST_F(WebTlsTest, ClientAllowedSans) {
  const std::string base =
      "  client_ca_file: " + *pki_dir + "/ca.crt\n  client_auth_type: RequireAndVerifyClientCert\n";
  {
    auto exporter = Start(TlsConfig(base + "  client_allowed_sans: [other.example, 10.0.0.7]\n"));
    EXPECT_THAT(Curl(*exporter, CaArgs() + ClientCert("client")).output, HasSubstr("HTTP=200"));
  }
  {
    auto exporter = Start(TlsConfig(base + "  client_allowed_sans: [other.example]\n"));
    const auto refused = Curl(*exporter, CaArgs() + ClientCert("client"));
    EXPECT_NE(refused.exit_code, 0) << refused.output;
    EXPECT_THAT(refused.output, Not(HasSubstr("HTTP=200")));
  }
}

TEST_F(WebTlsTest, VerifyClientCertIfGiven) {
  auto exporter = Start(TlsConfig("  client_ca_file: " + *pki_dir +
                                  "/ca.crt\n  client_auth_type: VerifyClientCertIfGiven\n"));
  EXPECT_THAT(Curl(*exporter, CaArgs()).output, HasSubstr("HTTP=200"));
  EXPECT_THAT(Curl(*exporter, CaArgs() + ClientCert("client")).output, HasSubstr("HTTP=200"));
  EXPECT_THAT(Curl(*exporter, CaArgs() + ClientCert("rogue")).output, Not(HasSubstr("HTTP=200")));
}

TEST_F(WebTlsTest, RequireAnyClientCertTakesUnverifiedCerts) {
  auto exporter = Start(TlsConfig("  client_auth_type: RequireAnyClientCert\n"));
  EXPECT_THAT(Curl(*exporter, CaArgs() + ClientCert("rogue")).output, HasSubstr("HTTP=200"));
  EXPECT_THAT(Curl(*exporter, CaArgs()).output, Not(HasSubstr("HTTP=200")));
}

TEST_F(WebTlsTest, MinAndMaxVersion) {
  // TLS 1.1 signs with SHA-1, so the client must lower its security level
  // too; then only the server's min_version decides.
  const std::string tls11 = "-tls1_1 -cipher DEFAULT@SECLEVEL=0";
  {
    auto exporter = Start(TlsConfig());  // TLS 1.2 and up by default
    EXPECT_NE(Handshake(*exporter, tls11).exit_code, 0);
    EXPECT_EQ(Handshake(*exporter, "-tls1_2").exit_code, 0);
    EXPECT_EQ(Handshake(*exporter, "-tls1_3").exit_code, 0);
  }
  {
    auto exporter = Start(TlsConfig("  min_version: TLS10\n"));
    const auto legacy = Handshake(*exporter, tls11);
    EXPECT_EQ(legacy.exit_code, 0) << legacy.output;
  }
  {
    auto exporter = Start(TlsConfig("  min_version: TLS13\n"));
    EXPECT_NE(Handshake(*exporter, "-tls1_2").exit_code, 0);
    EXPECT_EQ(Handshake(*exporter, "-tls1_3").exit_code, 0);
  }
  {
    auto exporter = Start(TlsConfig("  max_version: TLS12\n"));
    EXPECT_EQ(Handshake(*exporter, "-tls1_2").exit_code, 0);
    EXPECT_NE(Handshake(*exporter, "-tls1_3").exit_code, 0);
  }
}

TEST_F(WebTlsTest, RotatedCertificateIsServedWithoutRestart) {
  auto exporter = Start(TlsConfig());
  EXPECT_THAT(ServedCertificate(*exporter), AllOf(HasSubstr("CN = server-one"), HasSubstr("03E9")));

  Copy("server-two.key", "server.key");
  Copy("server-two.crt", "server.crt");
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  EXPECT_THAT(ServedCertificate(*exporter), AllOf(HasSubstr("CN = server-two"), HasSubstr("07D2")));
  EXPECT_THAT(Curl(*exporter, CaArgs()).output, HasSubstr("HTTP=200"));

  // A broken replacement keeps the last good certificate serving.
  std::ofstream(dir_ + "/server.crt", std::ios::trunc) << "garbage\n";
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  EXPECT_THAT(ServedCertificate(*exporter), HasSubstr("CN = server-two"));
  EXPECT_THAT(Curl(*exporter, CaArgs()).output, HasSubstr("HTTP=200"));
  EXPECT_THAT(exporter->Log(),
              AllOf(HasSubstr("keeping the previous one"), HasSubstr(dir_ + "/server.crt")));
  EXPECT_EQ(exporter->process().Wait(std::chrono::milliseconds(0)), -1) << "exporter exited";
}

TEST_F(WebTlsTest, StartupErrorNamesTheMissingFile) {
  std::ofstream(dir_ + "/web.yml") << "tls_server_config:\n  cert_file: absent.crt\n"
                                      "  key_file: server.key\n";
  const std::string log = dir_ + "/exporter.log";
  test::Subprocess exporter({test::BinaryPath(kBinary),
                             "--web.listen-address=127.0.0.1:" + std::to_string(test::FreePort()),
                             "--web.config.file=" + dir_ + "/web.yml"},
                            log);
  const int status = exporter.Wait(std::chrono::seconds(10));
  ASSERT_NE(status, -1) << "exporter did not exit";
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1);
  std::stringstream text;
  text << std::ifstream(log).rdbuf();
  EXPECT_THAT(text.str(),
              AllOf(HasSubstr("tls_server_config.cert_file"), HasSubstr(dir_ + "/absent.crt")));
}

}  // namespace
}  // namespace vms
