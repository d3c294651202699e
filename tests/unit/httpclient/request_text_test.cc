#include "request_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vms::internal {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using Headers = std::vector<std::pair<std::string, std::string>>;

TEST(RequestTextTest, GetWithTheClientsHeaders) {
  const HttpUrl url = *ParseHttpUrl("http://[::1]:8080/v3/paths/list?page=0");
  const Headers headers;
  const auto text = BuildRequestText(
      {.method = "GET", .url = &url, .headers = &headers, .user_agent = "vms-exporters"});
  ASSERT_TRUE(text.ok()) << text.error();
  EXPECT_EQ(*text,
            "GET /v3/paths/list?page=0 HTTP/1.1\r\n"
            "Host: [::1]:8080\r\n"
            "User-Agent: vms-exporters\r\n"
            "Accept: */*\r\n"
            "Connection: close\r\n"
            "\r\n");
}

TEST(RequestTextTest, PostWithBodyAndAuthorization) {
  const HttpUrl url = *ParseHttpUrl("https://api.local/login");
  const Headers headers = {{"Content-Type", "application/json"}};
  const auto text =
      BuildRequestText({.method = "POST",
                        .url = &url,
                        .headers = &headers,
                        .body = "{}",
                        .authorization = BasicAuthorization("Aladdin", "open sesame")});
  ASSERT_TRUE(text.ok()) << text.error();
  EXPECT_EQ(*text,
            "POST /login HTTP/1.1\r\n"
            "Host: api.local\r\n"
            "Accept: */*\r\n"
            "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"
            "Content-Type: application/json\r\n"
            "Content-Length: 2\r\n"
            "Connection: close\r\n"
            "\r\n{}");
}

TEST(RequestTextTest, EmptyPostSaysItsLength) {
  const HttpUrl url = *ParseHttpUrl("http://h/");
  const Headers headers;
  const auto text = BuildRequestText({.method = "POST", .url = &url, .headers = &headers});
  ASSERT_TRUE(text.ok());
  EXPECT_THAT(*text, HasSubstr("Content-Length: 0\r\n"));
}

TEST(RequestTextTest, GivenHeadersReplaceOurs) {
  const HttpUrl url = *ParseHttpUrl("http://127.0.0.1:8080/");
  const Headers headers = {{"host", "api.example.org"},
                           {"User-Agent", "Blackbox"},
                           {"Accept", "application/json"},
                           {"Authorization", "Bearer from-header"}};
  const auto text = BuildRequestText({.method = "GET",
                                      .url = &url,
                                      .headers = &headers,
                                      .user_agent = "vms-exporters",
                                      .authorization = "Bearer ours"});
  ASSERT_TRUE(text.ok()) << text.error();
  EXPECT_THAT(*text, HasSubstr("host: api.example.org\r\n"));
  EXPECT_THAT(*text, Not(HasSubstr("Host: 127.0.0.1")));
  EXPECT_THAT(*text, Not(HasSubstr("vms-exporters")));
  EXPECT_THAT(*text, Not(HasSubstr("*/*")));
  EXPECT_THAT(*text, Not(HasSubstr("Bearer ours")));
}

TEST(RequestTextTest, RefusesSplittingAndOwnedHeadersWithoutShowingValues) {
  const HttpUrl url = *ParseHttpUrl("http://h/");
  const std::vector<Headers> bad = {
      {{"X-Token", "Secret9\r\nX-Injected: 1"}},
      {{"X-Token", std::string("Secret9\0", 8)}},
      {{"Bad Name", "v"}},
      {{"", "v"}},
      {{"Content-Length", "5"}},
      {{"transfer-encoding", "chunked"}},
      {{"Connection", "keep-alive"}},
  };
  for (const auto& headers : bad) {
    const auto text = BuildRequestText({.method = "GET", .url = &url, .headers = &headers});
    EXPECT_FALSE(text.ok()) << headers[0].first;
    EXPECT_THAT(text.error(), Not(HasSubstr("Secret9")));
  }
  const Headers none;
  EXPECT_FALSE(BuildRequestText({.method = "GET /x", .url = &url, .headers = &none}).ok());
  EXPECT_FALSE(BuildRequestText({.method = "", .url = &url, .headers = &none}).ok());
  EXPECT_FALSE(
      BuildRequestText({.method = "GET", .url = &url, .headers = &none, .authorization = "a\r\nb"})
          .ok());
}

}  // namespace
}  // namespace vms::internal
