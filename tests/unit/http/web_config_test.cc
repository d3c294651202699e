#include "vms/http/web_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "support/http_client.h"
#include "support/subprocess.h"

namespace vms {
namespace {

// The reloader looks at the files at most every kCheck (a second in
// production); waiting kPastCheck lets the next call look again. Writes
// kPastCheck apart also get distinct mtimes on every file system here.
constexpr std::chrono::milliseconds kCheck{10};
constexpr std::chrono::milliseconds kPastCheck{30};

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

// htpasswd -nbBC 4 alice secret; htpasswd -nbBC 5 bob 'p@ss:word'
constexpr char kAliceHash[] = "$2y$04$lr0XBqag.b82rqDVHnSobO9ieiYmLicWG27gEfo9XfRia/2xrhoI6";
constexpr char kBobHash[] = "$2y$05$f54WRBYMybysWIZoS6/SdO5/g3JHrayxi3U0N/HzSbEqkxb/.WxrK";

class WebConfigTest : public ::testing::Test {
 protected:
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::trunc) << text;
    return path;
  }

  // The error LoadWebConfig gives for `yaml` (empty if it loaded).
  std::string ErrorFor(const std::string& yaml) {
    auto loaded = LoadWebConfig(Write("web.yml", yaml));
    return loaded ? "" : loaded.error();
  }

  std::shared_ptr<WebSecurity> MustLoad(const std::string& yaml) {
    auto loaded = LoadWebConfig(Write("web.yml", yaml));
    EXPECT_TRUE(loaded.ok()) << loaded.error();
    return loaded ? *loaded : nullptr;
  }

  std::string dir_ = test::MakeTempDir();
};

TEST_F(WebConfigTest, MissingFileIsNamed) {
  auto loaded = LoadWebConfig(dir_ + "/absent.yml");
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(loaded.error(), HasSubstr(dir_ + "/absent.yml"));
}

TEST_F(WebConfigTest, EmptyFileServesPlainHttpWithoutAuth) {
  auto security = MustLoad("");
  ASSERT_NE(security, nullptr);
  EXPECT_EQ(security->TlsContext(), nullptr);
  EXPECT_TRUE(security->Authorize(""));
}

TEST_F(WebConfigTest, SyntaxErrorHasPosition) {
  EXPECT_THAT(ErrorFor("basic_auth_users:\n  alice: [unclosed\n"), HasSubstr("web.yml:3:"));
}

TEST_F(WebConfigTest, UnknownTopLevelKeyIsNamedWithPosition) {
  EXPECT_THAT(ErrorFor("basic_auth_users: {}\ntls_server_confg: {}\n"),
              HasSubstr("web.yml:2:1: tls_server_confg: unknown key"));
}

TEST_F(WebConfigTest, UnknownTlsKeyIsNamedWithPosition) {
  EXPECT_THAT(ErrorFor("tls_server_config:\n  cert_file: a.pem\n  key_fle: b.pem\n"),
              HasSubstr("web.yml:3:3: tls_server_config.key_fle: unknown key"));
}

TEST_F(WebConfigTest, HttpServerConfigIsRefused) {
  EXPECT_THAT(ErrorFor("http_server_config:\n  http2: false\n"),
              HasSubstr("http_server_config: is not supported"));
}

TEST_F(WebConfigTest, UnknownClientAuthType) {
  EXPECT_THAT(ErrorFor("tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n"
                       "  client_auth_type: Sometimes\n"),
              AllOf(HasSubstr("web.yml:4:21: tls_server_config.client_auth_type"),
                    HasSubstr("unknown \"Sometimes\"")));
}

TEST_F(WebConfigTest, UnknownTlsVersion) {
  EXPECT_THAT(
      ErrorFor("tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n"
               "  min_version: SSL3\n"),
      HasSubstr("web.yml:4:16: tls_server_config.min_version: unknown TLS version \"SSL3\""));
}

TEST_F(WebConfigTest, MaxVersionBelowMinVersion) {
  EXPECT_THAT(ErrorFor("tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n"
                       "  min_version: TLS13\n  max_version: TLS12\n"),
              HasSubstr("tls_server_config.max_version: is lower than min_version"));
}

TEST_F(WebConfigTest, UnknownCipherSuite) {
  EXPECT_THAT(ErrorFor("tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n"
                       "  cipher_suites: [TLS_RSA_WITH_NOTHING]\n"),
              HasSubstr("unknown cipher suite \"TLS_RSA_WITH_NOTHING\""));
}

TEST_F(WebConfigTest, VerifyingClientCertsNeedsClientCa) {
  EXPECT_THAT(ErrorFor("tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n"
                       "  client_auth_type: RequireAndVerifyClientCert\n"),
              HasSubstr("needs client_ca_file"));
}

TEST_F(WebConfigTest, ClientCaWithoutClientAuthType) {
  EXPECT_THAT(ErrorFor("tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n"
                       "  client_ca_file: ca.pem\n"),
              HasSubstr("tls_server_config.client_ca_file: is set but client_auth_type is "
                        "NoClientCert"));
}

TEST_F(WebConfigTest, AllowedSansNeedVerifiedClientCerts) {
  EXPECT_THAT(ErrorFor("tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n"
                       "  client_auth_type: RequireAnyClientCert\n"
                       "  client_allowed_sans: [scraper.example]\n"),
              HasSubstr("web.yml:5:24: tls_server_config.client_allowed_sans: needs "
                        "client_auth_type VerifyClientCertIfGiven or RequireAndVerifyClientCert"));
}

TEST_F(WebConfigTest, KeyWithoutCert) {
  EXPECT_THAT(ErrorFor("tls_server_config:\n  key_file: k.pem\n"),
              HasSubstr("tls_server_config.cert_file: is required"));
}

TEST_F(WebConfigTest, MissingCertFileIsNamedRelativeToConfigDir) {
  const std::string error = ErrorFor("tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n");
  EXPECT_THAT(error, AllOf(HasSubstr("tls_server_config.cert_file"), HasSubstr(dir_ + "/c.pem"),
                           HasSubstr("No such file")));
}

TEST_F(WebConfigTest, GarbageCertIsRejected) {
  Write("c.pem", "not a certificate\n");
  Write("k.pem", "not a key\n");
  EXPECT_THAT(ErrorFor("tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n"),
              AllOf(HasSubstr("cert_file " + dir_ + "/c.pem"), HasSubstr("not a PEM certificate")));
}

TEST_F(WebConfigTest, BadBcryptHashIsNamedButNotEchoed) {
  const std::string error = ErrorFor("basic_auth_users:\n  alice: plaintext-password\n");
  EXPECT_THAT(error, AllOf(HasSubstr("web.yml:2:10: basic_auth_users.alice: not a bcrypt hash"),
                           Not(HasSubstr("plaintext-password"))));
}

TEST_F(WebConfigTest, TruncatedBcryptHash) {
  EXPECT_THAT(
      ErrorFor("basic_auth_users:\n  alice: " + std::string(kAliceHash).substr(0, 50) + "\n"),
      HasSubstr("basic_auth_users.alice: bcrypt hash has 50 characters"));
}

TEST_F(WebConfigTest, BcryptCostOutOfRange) {
  std::string hash = kAliceHash;
  hash[4] = '3';
  hash[5] = '2';
  EXPECT_THAT(ErrorFor("basic_auth_users:\n  alice: " + hash + "\n"),
              HasSubstr("bcrypt cost 32 is outside 4-31"));
}

TEST_F(WebConfigTest, BasicAuthChecksPasswords) {
  auto security = MustLoad(std::string("basic_auth_users:\n  alice: ") + kAliceHash +
                           "\n  bob: " + kBobHash + "\n");
  ASSERT_NE(security, nullptr);
  EXPECT_EQ(security->TlsContext(), nullptr);
  EXPECT_TRUE(security->Authorize(test::BasicAuthorization("alice:secret")));
  EXPECT_TRUE(security->Authorize(test::BasicAuthorization("alice:secret")));  // from the cache
  EXPECT_TRUE(
      security->Authorize(test::BasicAuthorization("bob:p@ss:word")));  // split at the first ':'
  EXPECT_TRUE(security->Authorize("bAsIc " + test::BasicAuthorization("alice:secret").substr(6)));

  EXPECT_FALSE(security->Authorize(test::BasicAuthorization("alice:Secret")));
  EXPECT_FALSE(security->Authorize(test::BasicAuthorization("alice:")));
  EXPECT_FALSE(security->Authorize(test::BasicAuthorization("alice:secretx")));
  EXPECT_FALSE(security->Authorize(test::BasicAuthorization("bob:secret")));  // alice's password
  EXPECT_FALSE(security->Authorize(test::BasicAuthorization("mallory:secret")));
  EXPECT_FALSE(security->Authorize(test::BasicAuthorization("alicesecret")));
  EXPECT_FALSE(security->Authorize(""));
  EXPECT_FALSE(security->Authorize("Bearer " + test::BasicAuthorization("alice:secret").substr(6)));
  EXPECT_FALSE(security->Authorize("Basic !!!!"));
  EXPECT_FALSE(security->Authorize(test::BasicAuthorization("alice:secret").substr(0, 14)));
}

TEST_F(WebConfigTest, PasswordWithNulDoesNotMatchItsPrefix) {
  auto security = MustLoad(std::string("basic_auth_users:\n  alice: ") + kAliceHash + "\n");
  ASSERT_NE(security, nullptr);
  EXPECT_FALSE(
      security->Authorize(test::BasicAuthorization(std::string("alice:secret\0junk", 17))));
  EXPECT_TRUE(security->Authorize(test::BasicAuthorization("alice:secret")));
}

TEST_F(WebConfigTest, AuthorizeIsThreadSafe) {
  auto security = MustLoad(std::string("basic_auth_users:\n  alice: ") + kAliceHash + "\n");
  ASSERT_NE(security, nullptr);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        const bool good = (i + t) % 2 == 0;
        if (security->Authorize(test::BasicAuthorization(
                good ? "alice:secret" : "alice:guess" + std::to_string(i))) != good) {
          ++wrong;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST_F(WebConfigTest, ChangedUsersApplyAfterTheCheckIntervalAndBrokenVersionsKeepTheLastGood) {
  const std::string path =
      Write("web.yml", std::string("basic_auth_users:\n  alice: ") + kAliceHash + "\n");
  auto loaded = LoadWebConfig(path, {.check_interval = kCheck});
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  auto security = *loaded;
  EXPECT_TRUE(security->Authorize(test::BasicAuthorization("alice:secret")));

  Write("web.yml", std::string("basic_auth_users:\n  bob: ") + kBobHash + "\n");
  std::this_thread::sleep_for(kPastCheck);
  EXPECT_FALSE(security->Authorize(test::BasicAuthorization("alice:secret")));
  EXPECT_TRUE(security->Authorize(test::BasicAuthorization("bob:p@ss:word")));

  Write("web.yml", "basic_auth_users:\n  bob: not-a-hash\n");
  std::this_thread::sleep_for(kPastCheck);
  EXPECT_TRUE(security->Authorize(test::BasicAuthorization("bob:p@ss:word")));
  EXPECT_FALSE(security->Authorize(test::BasicAuthorization("alice:secret")));
}

}  // namespace
}  // namespace vms
