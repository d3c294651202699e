// tls_server_config loading with certificates made in-process, so that key
// and certificate errors and rotation are checked without a server.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>

#include "support/subprocess.h"
#include "vms/http/web_config.h"

namespace vms {
namespace {

// The reloader looks at the files at most every kCheck (a second in
// production); waiting kPastCheck lets the next call look again. Writes
// kPastCheck apart also get distinct mtimes on every file system here.
constexpr std::chrono::milliseconds kCheck{10};
constexpr std::chrono::milliseconds kPastCheck{30};

using ::testing::AllOf;
using ::testing::HasSubstr;

std::string ToPem(const std::function<int(BIO*)>& write) {
  BIO* bio = BIO_new(BIO_s_mem());
  EXPECT_EQ(write(bio), 1);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return pem;
}

struct KeyPair {
  std::string key_pem;
  std::string cert_pem;
  std::string encrypted_key_pem;  // passphrase "pass"
};

KeyPair SelfSigned(const std::string& common_name) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key, EVP_sha256());
  KeyPair pair;
  pair.key_pem = ToPem([&](BIO* b) {
    return PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr);
  });
  pair.cert_pem = ToPem([&](BIO* b) { return PEM_write_bio_X509(b, cert); });
  pair.encrypted_key_pem = ToPem([&](BIO* b) {
    static unsigned char pass[] = "pass";
    return PEM_write_bio_PrivateKey(b, key, EVP_aes_256_cbc(), pass, 4, nullptr, nullptr);
  });
  X509_free(cert);
  EVP_PKEY_free(key);
  return pair;
}

std::string SubjectCommonName(const std::shared_ptr<boost::asio::ssl::context>& ctx) {
  X509* cert = SSL_CTX_get0_certificate(ctx->native_handle());
  if (cert == nullptr) return "";
  std::array<char, 256> cn{};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn.data(), cn.size());
  return cn.data();
}

class WebConfigTlsTest : public ::testing::Test {
 protected:
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name, std::ios::trunc) << text;
  }

  void WritePair(const KeyPair& pair) {
    Write("c.pem", pair.cert_pem);
    Write("k.pem", pair.key_pem);
  }

  Result<std::shared_ptr<WebSecurity>> Load(const std::string& extra = "") {
    Write("web.yml", "tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n" + extra);
    return LoadWebConfig(dir_ + "/web.yml", {.check_interval = kCheck});
  }

  std::string dir_ = test::MakeTempDir();
};

TEST_F(WebConfigTlsTest, LoadsCertAndKeyRelativeToTheConfigDirectory) {
  WritePair(SelfSigned("first"));
  auto loaded = Load();
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  auto ctx = (*loaded)->TlsContext();
  ASSERT_NE(ctx, nullptr);
  EXPECT_EQ(SubjectCommonName(ctx), "first");
  EXPECT_TRUE((*loaded)->Authorize(""));  // no basic_auth_users
}

TEST_F(WebConfigTlsTest, ContextIsReusedWhileNothingChangesAndRebuiltOnRotation) {
  WritePair(SelfSigned("first"));
  auto loaded = Load();
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  auto& security = *loaded;
  const auto first = security->TlsContext();
  std::this_thread::sleep_for(kPastCheck);
  EXPECT_EQ(security->TlsContext(), first);

  WritePair(SelfSigned("second"));
  std::this_thread::sleep_for(kPastCheck);
  const auto second = security->TlsContext();
  ASSERT_NE(second, nullptr);
  EXPECT_NE(second, first);
  EXPECT_EQ(SubjectCommonName(second), "second");
  EXPECT_EQ(SubjectCommonName(first), "first");  // still usable by its connections

  Write("k.pem", SelfSigned("other").key_pem);  // half-done rotation: key mismatch
  std::this_thread::sleep_for(kPastCheck);
  EXPECT_EQ(security->TlsContext(), second);
}

TEST_F(WebConfigTlsTest, KeyNotMatchingTheCertificateIsNamed) {
  Write("c.pem", SelfSigned("a").cert_pem);
  Write("k.pem", SelfSigned("b").key_pem);
  auto loaded = Load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(loaded.error(),
              AllOf(HasSubstr(dir_ + "/web.yml"), HasSubstr("key_file " + dir_ + "/k.pem"),
                    HasSubstr("does not match the certificate in " + dir_ + "/c.pem")));
}

TEST_F(WebConfigTlsTest, GarbageKeyIsNamed) {
  Write("c.pem", SelfSigned("a").cert_pem);
  Write("k.pem", "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n");
  auto loaded = Load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(loaded.error(),
              AllOf(HasSubstr("key_file " + dir_ + "/k.pem"), HasSubstr("not a PEM private key")));
}

TEST_F(WebConfigTlsTest, EncryptedKeyIsRefusedWithoutPrompting) {
  const KeyPair pair = SelfSigned("a");
  Write("c.pem", pair.cert_pem);
  Write("k.pem", pair.encrypted_key_pem);
  auto loaded = Load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(loaded.error(), HasSubstr("is encrypted"));
}

TEST_F(WebConfigTlsTest, ClientCaFileWithoutCertificates) {
  WritePair(SelfSigned("a"));
  Write("ca.pem", "nothing here\n");
  auto loaded = Load("  client_ca_file: ca.pem\n  client_auth_type: VerifyClientCertIfGiven\n");
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(loaded.error(), AllOf(HasSubstr("client_ca_file " + dir_ + "/ca.pem"),
                                    HasSubstr("no PEM certificate found")));
}

TEST_F(WebConfigTlsTest, CipherSuitesAndCurvesUseGoNames) {
  WritePair(SelfSigned("a"));
  auto loaded = Load(
      "  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256]\n"
      "  curve_preferences: [X25519, CurveP256]\n  prefer_server_cipher_suites: false\n");
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  SSL* ssl = SSL_new((*loaded)->TlsContext()->native_handle());
  std::string tls12_ciphers;
  const STACK_OF(SSL_CIPHER)* ciphers = SSL_get_ciphers(ssl);
  for (int i = 0; i < sk_SSL_CIPHER_num(ciphers); ++i) {
    // TLS 1.3 suites (named TLS_*) are not configurable, as in Go.
    const std::string name = SSL_CIPHER_get_name(sk_SSL_CIPHER_value(ciphers, i));
    if (!name.starts_with("TLS_")) tls12_ciphers += name + " ";
  }
  SSL_free(ssl);
  EXPECT_EQ(tls12_ciphers, "ECDHE-ECDSA-AES128-GCM-SHA256 ");
}

TEST_F(WebConfigTlsTest, TlsSectionWithoutCertificateServesPlainHttp) {
  Write("web.yml", "tls_server_config:\n  min_version: TLS13\n");
  auto loaded = LoadWebConfig(dir_ + "/web.yml");
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  EXPECT_EQ((*loaded)->TlsContext(), nullptr);
}

}  // namespace
}  // namespace vms
