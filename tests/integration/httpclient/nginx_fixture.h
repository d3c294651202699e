#pragma once

// Debian's nginx serving HTTP and HTTPS on 127.0.0.1 (and [::1] when the
// machine has it) from a temp directory, with a throwaway PKI made by the
// openssl CLI: a CA, a server certificate for localhost/127.0.0.1/::1 sent
// with the CA as its chain, an expired one, one for another host name, and a
// client certificate. Virtual hosts by SNI pick the certificate.

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "support/hostile_peer.h"
#include "support/nginx_process.h"
#include "support/subprocess.h"
#include "vms/base/text.h"

namespace vms::test {

class NginxFixture {
 public:
  static constexpr char kBasicUser[] = "probe";
  static constexpr char kBasicPassword[] = "Pr0be-Secret";
  static constexpr char kBearer[] = "tok-3141-5926";

  NginxFixture() : dir_(MakeTempDir()), ipv6_(HasIpv6Loopback()) {
    // nginx's worker runs as nobody under root and reads the site and the
    // htpasswd file (the master alone reads the keys).
    std::filesystem::permissions(
        dir_, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                  std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                  std::filesystem::perms::others_exec);
    MakePki();
    MakeSite();
    http_port_ = FreePort();
    https_port_ = FreePort();
    mtls_port_ = FreePort();
    // Every server is ours; NginxProcess's own one (on a port of its own)
    // stays empty.
    nginx_ = std::make_unique<NginxProcess>(HttpBlock(), "");
    ready_ = nginx_->ready();
    for (const unsigned short port : {http_port_, https_port_, mtls_port_}) {
      ready_ = ready_ && WaitForPort(port, std::chrono::seconds(10));
    }
  }
  ~NginxFixture() {
    nginx_.reset();
    std::filesystem::remove_all(dir_);
  }

  bool ready() const { return ready_; }
  std::string Log() const { return nginx_->ErrorLog(); }
  bool ipv6() const { return ipv6_; }
  const std::string& dir() const { return dir_; }
  std::string ca_file() const { return dir_ + "/pki/ca.crt"; }
  std::string pki(const std::string& name) const { return dir_ + "/pki/" + name; }
  std::string www(const std::string& name) const { return dir_ + "/www/" + name; }

  std::string Http(const std::string& path, const std::string& host = "127.0.0.1") const {
    return "http://" + host + ":" + std::to_string(http_port_) + path;
  }
  std::string Https(const std::string& path, const std::string& host = "127.0.0.1") const {
    return "https://" + host + ":" + std::to_string(https_port_) + path;
  }
  std::string Mtls(const std::string& path) const {
    return "https://127.0.0.1:" + std::to_string(mtls_port_) + path;
  }

  // A certificate's notAfter as Unix seconds, as the openssl and date CLIs
  // read it: the truth the client's reading is compared with.
  std::int64_t NotAfter(const std::string& cert) const {
    const auto out = RunCommand("date -u -d \"$(openssl x509 -noout -enddate -in " + pki(cert) +
                                " | cut -d= -f2)\" +%s");
    std::int64_t seconds = 0;
    EXPECT_TRUE(ParseNumber(std::string_view(out.output).substr(0, out.output.find('\n')), seconds))
        << out.output;
    return seconds;
  }

  std::string ReadWww(const std::string& name) const {
    std::ifstream in(www(name), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  // The whole command's stderr is captured so that a failure explains itself.
  static void MustRun(const std::string& command) {
    const auto result = RunCommand("(" + command + ")");
    ASSERT_EQ(result.exit_code, 0) << command << "\n" << result.output;
  }

  void MakePki() {
    const std::string pki = dir_ + "/pki";
    std::filesystem::create_directories(pki);
    const std::string key = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
    // The CA expires before the server certificate, so that the earliest
    // expiry of the chain is not the leaf's.
    MustRun("cd " + pki + " && openssl req -x509 " + key +
            " -keyout ca.key -out ca.crt -days 3 -subj /CN=vms-test-ca");
    const auto issue = [&](const std::string& name, const std::string& san, int days, int serial) {
      std::ofstream(pki + "/" + name + ".ext") << san << "\n";
      MustRun("cd " + pki + " && openssl req -new " + key + " -keyout " + name + ".key -out " +
              name + ".csr -subj /CN=" + name + " && openssl x509 -req -in " + name +
              ".csr -CA ca.crt -CAkey ca.key -set_serial " + std::to_string(serial) + " -days " +
              std::to_string(days) + " -extfile " + name + ".ext -out " + name + ".crt");
    };
    issue("good", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1", 40, 101);
    issue("expired", "subjectAltName=DNS:expired.test", -1, 102);
    issue("other", "subjectAltName=DNS:other.example", 40, 103);
    issue("client", "extendedKeyUsage=clientAuth", 40, 104);
    MustRun("cd " + pki + " && cat good.crt ca.crt > good-chain.crt");
  }

  void MakeSite() {
    const std::string www = dir_ + "/www";
    for (const char* sub : {"chunked", "basic", "bearer", "slow"}) {
      std::filesystem::create_directories(www + "/" + sub);
    }
    std::string page;
    for (int i = 0; i < 64; ++i) page += "line " + std::to_string(i) + " MARK of the page\n";
    std::ofstream(www + "/chunked/page.html") << page;
    // 5 MiB and a bit, in a pattern that shows a lost or repeated block.
    std::string large;
    for (int i = 0; large.size() < (5u << 20) + 123; ++i) large += std::to_string(i) + ",";
    std::ofstream(www + "/large.bin", std::ios::binary) << large;
    std::ofstream(www + "/chunked/large.html", std::ios::binary) << large;
    std::ofstream(www + "/slow/big.bin", std::ios::binary) << std::string(256 * 1024, 's');
    std::ofstream(www + "/basic/ok.txt") << "basic ok\n";
    std::ofstream(www + "/bearer/ok.txt") << "bearer ok\n";
    MustRun("printf '%s:%s\\n' " + std::string(kBasicUser) + " \"$(openssl passwd -5 '" +
            kBasicPassword + "')\" > " + dir_ + "/htpasswd");
    std::ofstream(dir_ + "/locations.conf") << Locations();
  }

  std::string Locations() const {
    return std::string(R"(
location = /health { default_type application/json; return 200 '{"status":"ok","db":"up"}'; }
location = /degraded { default_type application/json; return 200 '{"status":"degraded"}'; }
location = /teapot { return 418; }
location = /unavailable { return 503; }
location = /echo {
  default_type text/plain;
  return 200 "method=$request_method host=$http_host ua=$http_user_agent x=$http_x_probe auth=$http_authorization\n";
}
location = /redirect { return 302 /health; }
location = /redirect-absolute { return 301 $scheme://$http_host/health; }
location = /see-other { return 303 /echo; }
location = /loop { return 302 /loop; }
location /chunked/ { sub_filter 'MARK' 'mark'; sub_filter_once off; }
location /slow/ { limit_rate 4k; }
location /basic/ { auth_basic "probe"; auth_basic_user_file )") +
           dir_ + R"(/htpasswd; }
location /bearer/ { if ($http_authorization != "Bearer )" +
           kBearer + R"(") { return 401; } }
)";
  }

  std::string HttpBlock() const {
    const std::string include = "  include " + dir_ + "/locations.conf;\n";
    const auto tls = [&](const std::string& cert, const std::string& key) {
      return "  ssl_certificate " + pki(cert) + ";\n  ssl_certificate_key " + pki(key) + ";\n";
    };
    // [::1] too when the machine has it, on the same port numbers.
    const auto listen = [&](unsigned short port, const std::string& options) {
      std::string out = "  listen 127.0.0.1:" + std::to_string(port) + options + ";\n";
      if (ipv6_) out += "  listen [::1]:" + std::to_string(port) + options + ";\n";
      return out;
    };
    const std::string https = std::to_string(https_port_);
    std::ostringstream c;
    c << "  types { text/html html; text/plain txt; application/octet-stream bin; }\n"
      << "  default_type application/octet-stream;\n"
      << "  root " << dir_ << "/www;\n";
    c << "server {\n" << listen(http_port_, "") << include << "}\n";
    // One port, certificates picked by SNI.
    c << "server {\n"
      << listen(https_port_, " ssl default_server") << "  server_name localhost;\n"
      << tls("good-chain.crt", "good.key") << include << "}\n";
    c << "server {\n  listen 127.0.0.1:" << https << " ssl;\n  server_name expired.test;\n"
      << tls("expired.crt", "expired.key") << include << "}\n";
    c << "server {\n  listen 127.0.0.1:" << https << " ssl;\n  server_name wrong.test;\n"
      << tls("other.crt", "other.key") << include << "}\n";
    c << "server {\n  listen 127.0.0.1:" << mtls_port_ << " ssl;\n"
      << tls("good-chain.crt", "good.key") << "  ssl_client_certificate " << ca_file()
      << ";\n  ssl_verify_client on;\n"
      << include << "}\n";
    return c.str();
  }

  std::string dir_;
  bool ipv6_ = false;
  unsigned short http_port_ = 0;
  unsigned short https_port_ = 0;
  unsigned short mtls_port_ = 0;
  bool ready_ = false;
  std::unique_ptr<NginxProcess> nginx_;
};

// A suite sharing one nginx: started once, checked before each test.
class NginxSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { nginx_ = new NginxFixture(); }
  static void TearDownTestSuite() {
    delete nginx_;
    nginx_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(nginx_->ready()) << nginx_->Log(); }

  static inline NginxFixture* nginx_ = nullptr;
};

}  // namespace vms::test
