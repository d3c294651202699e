// HttpExchange against Debian's nginx over HTTP and HTTPS (certificates from
// the openssl CLI), on 127.0.0.1 and [::1].

#include "vms/httpclient/http_exchange.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "exchange_helpers.h"
#include "nginx_fixture.h"

namespace vms {
namespace {

using namespace std::chrono_literals;
using test::ExpectPhasesInOrder;
using test::Fetch;
using test::NginxFixture;
using test::Request;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class HttpExchangeTest : public test::NginxSuite {
 protected:
  static HttpClientRequest Tls(const std::string& url, const std::string& server_name = "") {
    HttpClientRequest r = Request(url);
    r.tls.ca_file = nginx_->ca_file();
    r.tls.server_name = server_name;
    return r;
  }
};

TEST_F(HttpExchangeTest, GetReturnsStatusHeadersBodyAndPhases) {
  const auto r = Fetch(nginx_->Http("/health"));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.reason, "OK");
  EXPECT_EQ(r.http_version, 11);
  EXPECT_EQ(r.body, R"({"status":"ok","db":"up"})");
  EXPECT_EQ(r.headers.Get("content-TYPE"), "application/json");
  EXPECT_THAT(std::string(r.headers.Get("Server").value_or("")), StartsWith("nginx"));
  EXPECT_EQ(r.final_url, nginx_->Http("/health"));
  EXPECT_EQ(r.redirects, 0);
  for (const HttpPhase p :
       {HttpPhase::kResolve, HttpPhase::kConnect, HttpPhase::kProcessing, HttpPhase::kTransfer}) {
    EXPECT_TRUE(r.phase(p).reached) << HttpPhaseName(p);
  }
  EXPECT_GT(r.phase(HttpPhase::kConnect).duration.count(), 0);
  EXPECT_GT(r.phase(HttpPhase::kProcessing).duration.count(), 0);
  EXPECT_FALSE(r.phase(HttpPhase::kTls).reached);
  ExpectPhasesInOrder(r);
  EXPECT_EQ(r.tls_version, "");
  EXPECT_FALSE(r.cert_not_after);
}

TEST_F(HttpExchangeTest, HostNamesAreResolved) {
  const auto r = Fetch(nginx_->Http("/health", "localhost"));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_GT(r.phase(HttpPhase::kResolve).duration.count(), 0);
  ExpectPhasesInOrder(r);
}

TEST_F(HttpExchangeTest, UnresolvableNameAndClosedPort) {
  const auto unresolved = Fetch("http://no-such-host.invalid/health");
  EXPECT_EQ(unresolved.failure, HttpFailure::kResolve) << unresolved.error;
  EXPECT_EQ(unresolved.failed_phase, HttpPhase::kResolve);
  EXPECT_THAT(unresolved.error, HasSubstr("no-such-host.invalid"));

  const auto refused = Fetch("http://127.0.0.1:" + std::to_string(test::FreePort()) + "/");
  EXPECT_EQ(refused.failure, HttpFailure::kConnect) << refused.error;
  EXPECT_EQ(refused.failed_phase, HttpPhase::kConnect);
  EXPECT_THAT(refused.error, HasSubstr("refused"));
}

TEST_F(HttpExchangeTest, ErrorStatusesAreAnswersNotFailures) {
  for (const auto& [path, status] : std::vector<std::pair<std::string, int>>{
           {"/teapot", 418}, {"/nope", 404}, {"/unavailable", 503}}) {
    const auto r = Fetch(nginx_->Http(path));
    EXPECT_TRUE(r.ok()) << path << ": " << r.error;
    EXPECT_EQ(r.status, status) << path;
  }
}

TEST_F(HttpExchangeTest, ChunkedBodiesAreDecoded) {
  const auto r = Fetch(nginx_->Http("/chunked/page.html"));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.headers.Get("Transfer-Encoding"), "chunked");
  EXPECT_FALSE(r.headers.Get("Content-Length"));
  std::string expected = nginx_->ReadWww("chunked/page.html");
  for (std::size_t at; (at = expected.find("MARK")) != std::string::npos;) {
    expected.replace(at, 4, "mark");
  }
  EXPECT_EQ(r.body, expected);
}

TEST_F(HttpExchangeTest, LargeBodiesArriveWholeInBothFramings) {
  const std::string large = nginx_->ReadWww("large.bin");
  ASSERT_GT(large.size(), 5u << 20);
  for (const std::string path : {"/large.bin", "/chunked/large.html"}) {
    HttpClientRequest request = Request(nginx_->Http(path));
    request.max_body_bytes = 8 << 20;
    const auto r = Fetch(request);
    ASSERT_TRUE(r.ok()) << path << ": " << r.error;
    EXPECT_EQ(r.body.size(), large.size()) << path;
    EXPECT_TRUE(r.body == large) << path;
    EXPECT_GT(r.phase(HttpPhase::kTransfer).duration.count(), 0);
    ExpectPhasesInOrder(r);
  }
}

TEST_F(HttpExchangeTest, BodyCapIsEnforcedInBothFramings) {
  for (const std::string path : {"/large.bin", "/chunked/large.html"}) {
    HttpClientRequest request = Request(nginx_->Http(path));
    request.max_body_bytes = 1 << 20;
    const auto r = Fetch(request);
    EXPECT_EQ(r.failure, HttpFailure::kBodyTooLarge) << path << ": " << r.error;
    EXPECT_THAT(r.error, HasSubstr("1048576"));
    EXPECT_TRUE(r.body.empty());
  }
}

TEST_F(HttpExchangeTest, HeadHasNoBody) {
  HttpClientRequest request = Request(nginx_->Http("/large.bin"));
  request.method = "HEAD";
  request.max_body_bytes = 16;  // the announced length is not a body
  const auto r = Fetch(request);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.Get("Content-Length"), std::to_string(nginx_->ReadWww("large.bin").size()));
  EXPECT_EQ(r.body, "");
}

TEST_F(HttpExchangeTest, SendsMethodHeadersAndUserAgent) {
  HttpClientRequest request = Request(nginx_->Http("/echo"));
  request.method = "POST";
  request.body = R"({"probe":true})";
  request.headers = {{"X-Probe", "p-1"}, {"Content-Type", "application/json"}};
  request.user_agent = "vms-test-agent";
  const auto r = Fetch(request);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_THAT(r.body, HasSubstr("method=POST"));
  EXPECT_THAT(r.body, HasSubstr("x=p-1"));
  EXPECT_THAT(r.body, HasSubstr("ua=vms-test-agent"));
  EXPECT_THAT(r.body, HasSubstr("host=127.0.0.1:"));
}

TEST_F(HttpExchangeTest, BasicAuthFromConfigOrUrlAndBearerTokens) {
  EXPECT_EQ(Fetch(nginx_->Http("/basic/ok.txt")).status, 401);

  HttpClientRequest configured = Request(nginx_->Http("/basic/ok.txt"));
  configured.basic_user = NginxFixture::kBasicUser;
  configured.basic_password = NginxFixture::kBasicPassword;
  const auto by_config = Fetch(configured);
  EXPECT_EQ(by_config.status, 200) << by_config.error;
  EXPECT_EQ(by_config.body, "basic ok\n");

  const std::string with_userinfo = "http://" + std::string(NginxFixture::kBasicUser) + ":" +
                                    NginxFixture::kBasicPassword + "@" +
                                    nginx_->Http("/basic/ok.txt").substr(7);
  const auto by_url = Fetch(with_userinfo);
  EXPECT_EQ(by_url.status, 200) << by_url.error;
  EXPECT_THAT(by_url.final_url, Not(HasSubstr(NginxFixture::kBasicPassword)));

  HttpClientRequest bearer = Request(nginx_->Http("/bearer/ok.txt"));
  EXPECT_EQ(Fetch(bearer).status, 401);
  bearer.bearer_token = NginxFixture::kBearer;
  EXPECT_EQ(Fetch(bearer).body, "bearer ok\n");
}

TEST_F(HttpExchangeTest, RedirectsAreAnswersUnlessFollowed) {
  const auto answer = Fetch(nginx_->Http("/redirect"));
  ASSERT_TRUE(answer.ok()) << answer.error;
  EXPECT_EQ(answer.status, 302);
  EXPECT_EQ(answer.headers.Get("Location"), nginx_->Http("/health"));

  for (const std::string path : {"/redirect", "/redirect-absolute"}) {
    HttpClientRequest request = Request(nginx_->Http(path));
    request.max_redirects = 3;
    const auto r = Fetch(request);
    ASSERT_TRUE(r.ok()) << path << ": " << r.error;
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.redirects, 1) << path;
    EXPECT_EQ(r.final_url, nginx_->Http("/health")) << path;
    EXPECT_EQ(r.body, R"({"status":"ok","db":"up"})");
    // Phases are summed over both connections, which ran one after the other.
    double sum = 0;
    for (const auto& phase : r.phases) sum += phase.duration.count();
    EXPECT_LE(sum, r.total.count());
  }

  HttpClientRequest loop = Request(nginx_->Http("/loop"));
  loop.max_redirects = 4;
  const auto looped = Fetch(loop);
  EXPECT_EQ(looped.failure, HttpFailure::kRedirects) << looped.error;
  EXPECT_EQ(looped.redirects, 4);

  HttpClientRequest post = Request(nginx_->Http("/see-other"));
  post.method = "POST";
  post.body = "x";
  post.max_redirects = 1;
  const auto see_other = Fetch(post);
  ASSERT_TRUE(see_other.ok()) << see_other.error;
  EXPECT_THAT(see_other.body, HasSubstr("method=GET"));
}

TEST_F(HttpExchangeTest, HttpsVerifiesTheChainAndReadsExpiry) {
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    const auto r = Fetch(Tls(nginx_->Https("/health", host)));
    ASSERT_TRUE(r.ok()) << host << ": " << r.error;
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"status":"ok","db":"up"})");
    EXPECT_THAT(r.tls_version, StartsWith("TLSv1."));
    ASSERT_TRUE(r.cert_not_after);
    EXPECT_EQ(*r.cert_not_after, nginx_->NotAfter("good.crt"));
    ASSERT_TRUE(r.chain_not_after);
    EXPECT_EQ(*r.chain_not_after, nginx_->NotAfter("ca.crt"));
    EXPECT_LT(*r.chain_not_after, *r.cert_not_after);
    EXPECT_TRUE(r.phase(HttpPhase::kTls).reached);
    EXPECT_GT(r.phase(HttpPhase::kTls).duration.count(), 0);
    ExpectPhasesInOrder(r);
  }
}

TEST_F(HttpExchangeTest, UntrustedCaIsATlsFailure) {
  const auto r = Fetch(nginx_->Https("/health"));  // the system store does not know the test CA
  EXPECT_EQ(r.failure, HttpFailure::kTls) << r.error;
  EXPECT_EQ(r.failed_phase, HttpPhase::kTls);
  EXPECT_THAT(r.error, HasSubstr("certificate verification failed"));
  EXPECT_EQ(r.status, 0);
}

TEST_F(HttpExchangeTest, ExpiredCertificateIsATlsFailureThatStillShowsItsDate) {
  const auto r = Fetch(Tls(nginx_->Https("/health"), "expired.test"));
  EXPECT_EQ(r.failure, HttpFailure::kTls) << r.error;
  EXPECT_THAT(r.error, HasSubstr("expired"));
  ASSERT_TRUE(r.cert_not_after);
  EXPECT_EQ(*r.cert_not_after, nginx_->NotAfter("expired.crt"));
}

TEST_F(HttpExchangeTest, WrongHostNameIsATlsFailureUnlessVerificationIsOff) {
  auto request = Tls(nginx_->Https("/health"), "wrong.test");
  const auto r = Fetch(request);
  EXPECT_EQ(r.failure, HttpFailure::kTls) << r.error;
  EXPECT_THAT(r.error, HasSubstr("hostname mismatch"));

  request.tls.insecure_skip_verify = true;
  const auto skipped = Fetch(request);
  ASSERT_TRUE(skipped.ok()) << skipped.error;
  EXPECT_EQ(skipped.status, 200);
  EXPECT_EQ(*skipped.cert_not_after, nginx_->NotAfter("other.crt"));
}

TEST_F(HttpExchangeTest, ServerNameOverrideIsSentAsSni) {
  // Connecting to 127.0.0.1 and naming localhost picks the good certificate
  // by SNI; naming wrong.test picks the other one: the override is both the
  // SNI and the name checked.
  const auto r = Fetch(Tls(nginx_->Https("/health"), "localhost"));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(*r.cert_not_after, nginx_->NotAfter("good.crt"));
}

TEST_F(HttpExchangeTest, ClientCertificate) {
  const auto without = Fetch(Tls(nginx_->Mtls("/health")));
  ASSERT_TRUE(without.ok()) << without.error;
  EXPECT_EQ(without.status, 400);  // nginx answers "No required SSL certificate was sent"

  auto request = Tls(nginx_->Mtls("/health"));
  request.tls.cert_file = nginx_->pki("client.crt");
  request.tls.key_file = nginx_->pki("client.key");
  const auto with = Fetch(request);
  ASSERT_TRUE(with.ok()) << with.error;
  EXPECT_EQ(with.status, 200);
}

TEST_F(HttpExchangeTest, OneContextServesManyExchanges) {
  TlsClientOptions options;
  options.ca_file = nginx_->ca_file();
  auto context = BuildTlsClientContext(options);
  ASSERT_TRUE(context.ok()) << context.error();
  for (int i = 0; i < 3; ++i) {
    HttpClientRequest request = Request(nginx_->Https("/health"));
    request.tls_context = *context;
    const auto r = Fetch(request);
    EXPECT_EQ(r.status, 200) << r.error;
  }
}

TEST_F(HttpExchangeTest, UnusableTlsFilesAreRequestFailuresNamingTheFile) {
  auto request = Tls(nginx_->Https("/health"));
  request.tls.ca_file = nginx_->dir() + "/missing-ca.crt";
  const auto r = Fetch(request);
  EXPECT_EQ(r.failure, HttpFailure::kRequest);
  EXPECT_THAT(r.error, HasSubstr("missing-ca.crt"));

  TlsClientOptions mismatched;
  mismatched.cert_file = nginx_->pki("client.crt");
  mismatched.key_file = nginx_->pki("good.key");
  const auto context = BuildTlsClientContext(mismatched);
  EXPECT_FALSE(context.ok());
  EXPECT_THAT(context.error(), HasSubstr("does not match"));
}

TEST_F(HttpExchangeTest, Ipv6Loopback) {
  if (!nginx_->ipv6()) GTEST_SKIP() << "this machine cannot listen on [::1]";
  const auto plain = Fetch(nginx_->Http("/health", "[::1]"));
  ASSERT_TRUE(plain.ok()) << plain.error;
  EXPECT_EQ(plain.status, 200);
  // The certificate names IP:::1; the host name check compares addresses.
  const auto tls = Fetch(Tls(nginx_->Https("/health", "[::1]")));
  ASSERT_TRUE(tls.ok()) << tls.error;
  EXPECT_EQ(tls.status, 200);
  EXPECT_EQ(tls.final_url, nginx_->Https("/health", "[::1]"));
}

}  // namespace
}  // namespace vms
