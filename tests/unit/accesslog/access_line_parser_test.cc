#include "vms/accesslog/access_line_parser.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/subprocess.h"

namespace vms {
namespace {

// The fixtures were recorded from a real nginx by
// tests/fixtures/accesslog/record.sh: the same 19 requests in each format.
std::vector<std::string> FixtureLines(const std::string& name) {
  std::ifstream in(test::SourcePath("tests/fixtures/accesslog/" + name));
  EXPECT_TRUE(in) << name;
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<AccessRecord> ParseAll(AccessLogFormat format, const std::string& fixture) {
  std::vector<AccessRecord> records;
  for (const std::string& line : FixtureLines(fixture)) {
    auto r = ParseAccessLine(format, line);
    EXPECT_TRUE(r.ok()) << fixture << ": " << r.error() << "\n" << line;
    if (r.ok()) records.push_back(*r);
  }
  return records;
}

constexpr std::size_t kRequests = 19;

TEST(AccessLineParserTest, VmsFixtureFields) {
  const auto r = ParseAll(AccessLogFormat::kVms, "nginx-vms.log");
  ASSERT_EQ(r.size(), kRequests);
  // GET /hls/cam1/index.m3u8?session=abc123
  EXPECT_EQ(r[0].method, "GET");
  EXPECT_EQ(r[0].path, "/hls/cam1/index.m3u8");
  EXPECT_EQ(r[0].query, "session=abc123");
  EXPECT_EQ(r[0].protocol, "HTTP/1.1");
  EXPECT_EQ(r[0].status, 200);
  EXPECT_EQ(r[0].bytes_sent, 150u);
  EXPECT_EQ(r[0].body_bytes_sent, 3u);
  EXPECT_EQ(r[0].request_time, 0.0);
  EXPECT_EQ(r[0].upstream_response_time, std::nullopt);
  EXPECT_EQ(r[0].session_id, "abc123");
  EXPECT_EQ(r[0].remote_addr, "127.0.0.1");
  EXPECT_EQ(r[0].user_agent, "curl/7.88.1");
  EXPECT_EQ(r[0].auth_scheme, std::nullopt);
  EXPECT_EQ(r[0].www_authenticate, std::nullopt);
  EXPECT_FALSE(r[0].upgrade);
  EXPECT_TRUE(r[0].server_port.has_value());
  EXPECT_GT(r[0].time, 1.7e9);
  EXPECT_NE(r[0].time, std::floor(r[0].time));  // milliseconds kept
  // Session from a cookie; HEAD.
  EXPECT_EQ(r[1].session_id, "cookie-77");
  EXPECT_EQ(r[2].method, "HEAD");
  EXPECT_EQ(r[2].body_bytes_sent, 0u);
  // POST through the upstream with a Bearer token: the scheme only.
  EXPECT_EQ(r[3].method, "POST");
  EXPECT_EQ(r[3].path, "/api/cameras/42");
  EXPECT_EQ(r[3].query, "verbose=1");
  EXPECT_EQ(r[3].auth_scheme, "Bearer");
  ASSERT_TRUE(r[3].upstream_response_time.has_value());
  // A 401 with the challenge nginx added.
  EXPECT_EQ(r[4].status, 401);
  EXPECT_EQ(r[4].www_authenticate,
            "Bearer realm=\"vms\", error=\"invalid_token\", error_description=\"The access token "
            "expired\"");
  EXPECT_EQ(r[5].auth_scheme, "Basic");
  EXPECT_EQ(r[6].auth_scheme, "other");
  // The user agent with quotes, a backslash, a tab, ESC, UTF-8 and invalid bytes.
  EXPECT_EQ(r[7].user_agent,
            "Mozilla/5.0 \"quoted\" back\\slash\ttab \x1b[31m caf\xc3\xa9 \xff\xfe");
  EXPECT_EQ(r[8].user_agent, "");
  // The websocket upgrade.
  EXPECT_EQ(r[9].status, 101);
  EXPECT_TRUE(r[9].upgrade);
  // Two upstreams tried: "0.000, 0.000".
  ASSERT_TRUE(r[10].upstream_response_time.has_value());
  EXPECT_EQ(r[11].status, 404);
  // Percent-encoding kept raw.
  EXPECT_EQ(r[12].path, "/cams/caf%C3%A9/..%2Fetc");
  EXPECT_EQ(r[12].query, "q=%22x%22&a=b&a=c");
  EXPECT_EQ(r[13].query.size(), 3000u);
  EXPECT_EQ(r[14].protocol, "HTTP/1.0");
  EXPECT_EQ(r[15].protocol, "HTTP/2.0");
  EXPECT_NE(r[15].server_port, r[0].server_port);
  // TLS bytes on the plain port, then an absolute-form request, then junk.
  EXPECT_EQ(r[16].status, 400);
  EXPECT_EQ(r[16].method, "");
  EXPECT_EQ(r[16].path, "");
  EXPECT_EQ(r[17].path, "/abs");
  EXPECT_EQ(r[17].query, "x=1");
  EXPECT_EQ(r[18].status, 400);
}

// The three formats of the same requests say the same thing where they
// overlap: combined has the second, not the millisecond, and none of the
// vms-only fields.
TEST(AccessLineParserTest, TheThreeFormatsAgree) {
  const auto vms = ParseAll(AccessLogFormat::kVms, "nginx-vms.log");
  const auto json = ParseAll(AccessLogFormat::kJson, "nginx-vms_json.log");
  const auto combined = ParseAll(AccessLogFormat::kCombined, "nginx-combined.log");
  ASSERT_EQ(vms.size(), kRequests);
  ASSERT_EQ(json.size(), kRequests);
  ASSERT_EQ(combined.size(), kRequests);
  for (std::size_t i = 0; i < kRequests; ++i) {
    SCOPED_TRACE(i);
    const AccessRecord &v = vms[i], &j = json[i], &c = combined[i];
    for (const AccessRecord* other : {&j, &c}) {
      EXPECT_EQ(other->method, v.method);
      EXPECT_EQ(other->path, v.path);
      EXPECT_EQ(other->query, v.query);
      EXPECT_EQ(other->protocol, v.protocol);
      EXPECT_EQ(other->status, v.status);
      EXPECT_EQ(other->body_bytes_sent, v.body_bytes_sent);
      EXPECT_EQ(other->user_agent, v.user_agent);
      EXPECT_EQ(other->remote_addr, v.remote_addr);
      EXPECT_EQ(other->upgrade, v.upgrade);
    }
    EXPECT_EQ(c.time, std::floor(v.time));
    EXPECT_EQ(j.time, v.time);
    EXPECT_EQ(j.bytes_sent, v.bytes_sent);
    EXPECT_EQ(j.request_time, v.request_time);
    EXPECT_EQ(j.upstream_response_time, v.upstream_response_time);
    EXPECT_EQ(j.server_port, v.server_port);
    EXPECT_EQ(j.session_id, v.session_id);
    EXPECT_EQ(j.auth_scheme, v.auth_scheme);
    EXPECT_EQ(j.www_authenticate, v.www_authenticate);
    EXPECT_EQ(c.bytes_sent, std::nullopt);
    EXPECT_EQ(c.request_time, std::nullopt);
  }
}

TEST(AccessLineParserTest, TokensNeverReachTheLog) {
  // record.sh sent two Bearer tokens and a Basic password.
  for (const char* fixture : {"nginx-vms.log", "nginx-vms_json.log", "nginx-combined.log"}) {
    for (const std::string& line : FixtureLines(fixture)) {
      EXPECT_EQ(line.find("eyJhbGci"), std::string::npos) << fixture;
      EXPECT_EQ(line.find("s3cret"), std::string::npos) << fixture;
      EXPECT_EQ(line.find("YWRtaW46"), std::string::npos) << fixture;  // base64 "admin:"
      EXPECT_EQ(line.find("rawtoken"), std::string::npos) << fixture;
    }
  }
}

TEST(AccessLineParserTest, UpstreamTimesAddUp) {
  const std::string base = "vms1\t1.5\t::1\tGET\t/\tHTTP/1.1\t502\t1\t0\t0.100\t";
  const auto parse = [&](const std::string& upstream) {
    return ParseAccessLine(AccessLogFormat::kVms, base + upstream + "\t\t\t\t\t\t\tend");
  };
  EXPECT_DOUBLE_EQ(*parse("0.002, 0.010")->upstream_response_time, 0.012);
  EXPECT_DOUBLE_EQ(*parse("0.001 : 0.004, -")->upstream_response_time, 0.005);
  EXPECT_EQ(parse("-")->upstream_response_time, std::nullopt);
  EXPECT_FALSE(parse("0.1, x").ok());
  EXPECT_FALSE(parse("-0.1").ok());
}

TEST(AccessLineParserTest, VmsFieldsAfterTheKnownOnesAreIgnored) {
  auto r = ParseAccessLine(AccessLogFormat::kVms,
                           "vms1\t1.5\t::1\tGET\t/x?\tHTTP/1.1\t200\t1\t0\t\t\t\t\t\t\t\tua\tnew "
                           "field\tanother\tend\r");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->user_agent, "ua");
  EXPECT_EQ(r->path, "/x");
  EXPECT_EQ(r->query, "");
  EXPECT_EQ(r->request_time, std::nullopt);
  EXPECT_EQ(r->server_port, std::nullopt);
}

TEST(AccessLineParserTest, CombinedAsApacheWritesIt) {
  // Apache escapes quotes and backslashes with a backslash and logs "-" for
  // an empty body; `common` has no referer or agent.
  auto apache = ParseAccessLine(
      AccessLogFormat::kCombined,
      R"(192.0.2.7 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 304 - )"
      R"("http://www.example.com/start.html" "Mozilla/4.08 \"q\" b\\s")");
  ASSERT_TRUE(apache.ok()) << apache.error();
  EXPECT_EQ(apache->time, 971211336.0);
  EXPECT_EQ(apache->body_bytes_sent, 0u);
  EXPECT_EQ(apache->user_agent, "Mozilla/4.08 \"q\" b\\s");
  auto common = ParseAccessLine(
      AccessLogFormat::kCombined,
      R"(192.0.2.7 - - [29/Feb/2024:23:59:59 +0530] "POST /api/x HTTP/1.1" 201 12)");
  ASSERT_TRUE(common.ok()) << common.error();
  EXPECT_EQ(common->time, 1709231399.0);  // 2024-02-29T18:29:59Z
  EXPECT_EQ(common->user_agent, "");
  // Extra fields after the agent ($request_time appended by an operator).
  auto extended = ParseAccessLine(
      AccessLogFormat::kCombined,
      R"(10.0.0.1 - - [01/Jan/2025:00:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "ua" 0.004 "x")");
  ASSERT_TRUE(extended.ok()) << extended.error();
  EXPECT_EQ(extended->time, 1735689600.0);
}

TEST(AccessLineParserTest, JsonAliasesAndTypes) {
  auto r = ParseAccessLine(
      AccessLogFormat::kJson,
      R"({"time_iso8601":"2025-01-01T01:00:00.250+01:00","remote_ip":"10.1.2.3",)"
      R"("request":"DELETE /api/cameras/7?force=1 HTTP/1.1","status":"204","bytes":"0",)"
      R"("request_time":"0.010","user_agent":"x","session":"s1","upstream_response_time":null})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->time, 1735689600.25);
  EXPECT_EQ(r->remote_addr, "10.1.2.3");
  EXPECT_EQ(r->method, "DELETE");
  EXPECT_EQ(r->path, "/api/cameras/7");
  EXPECT_EQ(r->query, "force=1");
  EXPECT_EQ(r->status, 204);
  EXPECT_EQ(r->request_time, 0.010);
  EXPECT_EQ(r->session_id, "s1");
  EXPECT_EQ(r->upstream_response_time, std::nullopt);
  auto uri = ParseAccessLine(AccessLogFormat::kJson,
                             R"({"time":1735689600,"method":"GET","uri":"/a","args":"b=1",)"
                             R"("status":200,"time_local":"ignored"})");
  ASSERT_TRUE(uri.ok()) << uri.error();
  EXPECT_EQ(uri->path, "/a");
  EXPECT_EQ(uri->query, "b=1");
  EXPECT_EQ(uri->time, 1735689600.0);
}

TEST(AccessLineParserTest, GarbageIsAnErrorNamingTheFieldNotItsValue) {
  const std::vector<std::pair<AccessLogFormat, std::string>> bad = {
      {AccessLogFormat::kVms, ""},
      {AccessLogFormat::kVms, "GET / HTTP/1.1"},
      {AccessLogFormat::kVms, "vms1\tend"},
      {AccessLogFormat::kVms, "vms2\t1\t\t\t\t\t200\t0\t0\t\t\t\t\t\t\t\t\tend"},
      {AccessLogFormat::kVms, "vms1\tsecret-token\t\t\t\t\t200\t0\t0\t\t\t\t\t\t\t\t\tend"},
      {AccessLogFormat::kVms, "vms1\t1\t\t\t\t\t2000\t0\t0\t\t\t\t\t\t\t\t\tend"},
      {AccessLogFormat::kVms, "vms1\t1\t\t\t\t\t200\t-1\t0\t\t\t\t\t\t\t\t\tend"},
      {AccessLogFormat::kVms, "vms1\t1\t\t\t\t\t200\t0\t0\t\t\t99999\t\t\t\t\t\tend"},
      {AccessLogFormat::kVms, "vms1\t1\t\t\t\t\t200\t0\t0\t\t\t\t\t\t\t\tbad \\q\tend"},
      {AccessLogFormat::kVms, "vms1\t1\t\t\t\t\t200\t0\t0\tnan\t\t\t\t\t\t\t\tend"},
      {AccessLogFormat::kCombined, "-"},
      {AccessLogFormat::kCombined,
       "1.2.3.4 - - [32/Dec/2026:13:40:41 +0000] \"GET / HTTP/1.1\" 200 1"},
      {AccessLogFormat::kCombined,
       "1.2.3.4 - - [03/Foo/2026:13:40:41 +0000] \"GET / HTTP/1.1\" 200 1"},
      {AccessLogFormat::kCombined,
       "1.2.3.4 - - [03/Dec/2026:13:40:41 +0000] \"GET / HTTP/1.1\" 2x0 1"},
      {AccessLogFormat::kCombined, "1.2.3.4 - - [03/Dec/2026:13:40:41 +0000] GET / 200 1"},
      {AccessLogFormat::kJson, "[]"},
      {AccessLogFormat::kJson, "{}"},
      {AccessLogFormat::kJson, R"({"msec":1,"status":"ok"})"},
      {AccessLogFormat::kJson, R"({"msec":1,"status":200,"bytes_sent":"-5"})"},
      {AccessLogFormat::kJson, R"({"msec":1,"status":200,"request_uri":["/"]})"},
      {AccessLogFormat::kJson, std::string(100, '[')},
  };
  for (const auto& [format, line] : bad) {
    auto r = ParseAccessLine(format, line);
    EXPECT_FALSE(r.ok()) << AccessLogFormatName(format) << ": " << line;
    if (!r.ok()) {
      EXPECT_EQ(r.error().find("secret"), std::string::npos) << r.error();
    }
  }
  EXPECT_FALSE(
      ParseAccessLine(AccessLogFormat::kVms, std::string(kMaxAccessLineBytes + 1, 'x')).ok());
}

// Every prefix of every recorded line: parsed or refused, never a crash,
// and a cut-short vms or json line is always refused.
TEST(AccessLineParserTest, TruncatedLinesNeverCrashAndVmsAndJsonRefuseThem) {
  for (const auto& [format, fixture] : std::vector<std::pair<AccessLogFormat, std::string>>{
           {AccessLogFormat::kVms, "nginx-vms.log"},
           {AccessLogFormat::kJson, "nginx-vms_json.log"},
           {AccessLogFormat::kCombined, "nginx-combined.log"}}) {
    for (const std::string& line : FixtureLines(fixture)) {
      for (std::size_t n = 0; n < line.size(); ++n) {
        auto r = ParseAccessLine(format, std::string_view(line).substr(0, n));
        if (format != AccessLogFormat::kCombined) {
          EXPECT_FALSE(r.ok()) << fixture << " " << n;
        }
      }
    }
  }
}

TEST(AccessLineParserTest, IntoReusesARecordWithoutLeakingFieldsBetweenLines) {
  const auto lines = FixtureLines("nginx-vms.log");
  AccessRecord record;
  ASSERT_TRUE(ParseAccessLineInto(AccessLogFormat::kVms, lines[4], record).ok());
  ASSERT_TRUE(record.www_authenticate.has_value());
  ASSERT_TRUE(ParseAccessLineInto(AccessLogFormat::kVms, lines[0], record).ok());
  auto fresh = ParseAccessLine(AccessLogFormat::kVms, lines[0]);
  EXPECT_EQ(record.www_authenticate, std::nullopt);
  EXPECT_EQ(record.session_id, fresh->session_id);
  EXPECT_EQ(record.path, fresh->path);
  EXPECT_EQ(record.user_agent, fresh->user_agent);
}

TEST(AccessLineParserTest, FormatNames) {
  EXPECT_EQ(ParseAccessLogFormat("combined"), AccessLogFormat::kCombined);
  EXPECT_EQ(ParseAccessLogFormat("JSON"), std::nullopt);
  EXPECT_EQ(AccessLogFormatName(AccessLogFormat::kJson), "json");
}

}  // namespace
}  // namespace vms
