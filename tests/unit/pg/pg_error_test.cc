#include "vms/pg/pg_error.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "support/subprocess.h"
#include "vms/base/file.h"

namespace vms::pg {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Fixture(const std::string& name) {
  auto text = ReadFile(test::SourcePath("tests/fixtures/pg/" + name));
  EXPECT_TRUE(text.ok()) << text.error();
  return text.ok() ? *text : "";
}

TEST(ExtractSqlStateTest, FindsTheServersCodeInRecordedConnectMessages) {
  EXPECT_EQ(ExtractSqlState(Fixture("connect_wrong_password.txt")), "28P01");
  EXPECT_EQ(ExtractSqlState(Fixture("connect_hba_reject.txt")), "28000");
  EXPECT_EQ(ExtractSqlState(Fixture("connect_no_such_database.txt")), "3D000");
  EXPECT_EQ(ExtractSqlState(Fixture("connect_refused.txt")), "");
  EXPECT_EQ(ExtractSqlState(Fixture("connect_no_password.txt")), "");
}

TEST(ExtractSqlStateTest, TakesTheLastOfSeveralAttempts) {
  // libpq appends one message per host it tried.
  EXPECT_EQ(ExtractSqlState("connection to server at \"a\" failed: FATAL:  53300: too many\n"
                            "connection to server at \"b\" failed: FATAL:  28P01: password\n"),
            "28P01");
}

TEST(ExtractSqlStateTest, IgnoresWhatOnlyLooksLikeACode) {
  EXPECT_EQ(ExtractSqlState(""), "");
  EXPECT_EQ(ExtractSqlState(":  "), "");
  EXPECT_EQ(ExtractSqlState("FATAL:  28P0"), "");
  EXPECT_EQ(ExtractSqlState("FATAL:  28p01: lower case"), "");
  EXPECT_EQ(ExtractSqlState("FATAL:  28P01 no colon"), "");
  EXPECT_EQ(ExtractSqlState("FATAL:  password authentication failed"), "");
}

TEST(ClassifyTest, ConnectFailures) {
  EXPECT_EQ(ClassifyConnectFailure("28P01", false), PgErrorReason::kAuth);
  EXPECT_EQ(ClassifyConnectFailure("28000", false), PgErrorReason::kAuth);
  EXPECT_EQ(ClassifyConnectFailure("", true), PgErrorReason::kAuth);  // no password to give
  EXPECT_EQ(ClassifyConnectFailure("", false), PgErrorReason::kConnect);
  EXPECT_EQ(ClassifyConnectFailure("3D000", false), PgErrorReason::kConnect);
  EXPECT_EQ(ClassifyConnectFailure("53300", false), PgErrorReason::kConnect);
  EXPECT_EQ(ClassifyConnectFailure("57P03", false), PgErrorReason::kConnect);
}

TEST(ClassifyTest, RecordedConnectMessagesEndToEnd) {
  auto reason = [](const std::string& file, bool needs_password) {
    return ClassifyConnectFailure(ExtractSqlState(Fixture(file)), needs_password);
  };
  EXPECT_EQ(reason("connect_wrong_password.txt", false), PgErrorReason::kAuth);
  EXPECT_EQ(reason("connect_hba_reject.txt", false), PgErrorReason::kAuth);
  // libpq said PQconnectionNeedsPassword() = 1 for this one.
  EXPECT_EQ(reason("connect_no_password.txt", true), PgErrorReason::kAuth);
  EXPECT_EQ(reason("connect_no_such_database.txt", false), PgErrorReason::kConnect);
  EXPECT_EQ(reason("connect_refused.txt", false), PgErrorReason::kConnect);
}

TEST(ClassifyTest, QueryFailures) {
  EXPECT_EQ(ClassifyQueryFailure("57014", false), PgErrorReason::kTimeout);
  EXPECT_EQ(ClassifyQueryFailure("22012", false), PgErrorReason::kQuery);
  EXPECT_EQ(ClassifyQueryFailure("42501", false), PgErrorReason::kQuery);
  EXPECT_EQ(ClassifyQueryFailure("", false), PgErrorReason::kQuery);
  EXPECT_EQ(ClassifyQueryFailure("57P01", false), PgErrorReason::kConnectionLost);
  EXPECT_EQ(ClassifyQueryFailure("08006", false), PgErrorReason::kConnectionLost);
  EXPECT_EQ(ClassifyQueryFailure("", true), PgErrorReason::kConnectionLost);
  EXPECT_EQ(ClassifyQueryFailure("22012", true), PgErrorReason::kConnectionLost);
}

TEST(ClassifyTest, ReasonNamesAreDistinctLabelValues) {
  std::set<std::string_view> names;
  for (PgErrorReason r : kAllPgErrorReasons) names.insert(PgErrorReasonName(r));
  EXPECT_EQ(names.size(), kAllPgErrorReasons.size());
  EXPECT_TRUE(names.contains("connect") && names.contains("auth") && names.contains("timeout") &&
              names.contains("query") && names.contains("connection_lost"));
}

TEST(SanitizeTest, OneLineWithoutLocation) {
  EXPECT_EQ(SanitizePgMessage(Fixture("connect_wrong_password.txt"), "Secret-Pass-1"),
            "connection to server at \"127.0.0.1\", port 55432 failed: FATAL:  28P01: password "
            "authentication failed for user \"monitor\"");
  EXPECT_EQ(SanitizePgMessage(Fixture("connect_refused.txt"), ""),
            "connection to server at \"127.0.0.1\", port 1 failed: Connection refused; Is the "
            "server running on that host and accepting TCP/IP connections?");
}

TEST(SanitizeTest, ThePasswordNeverSurvives) {
  const std::string out =
      SanitizePgMessage("bad value \"hunter2\" and again hunter2hunter2\n", "hunter2");
  EXPECT_THAT(out, Not(HasSubstr("hunter2")));
  EXPECT_EQ(out, "bad value \"***\" and again ******");
  // A password made of one character everywhere in the text is still gone.
  EXPECT_THAT(SanitizePgMessage("aaa", "a"), Not(HasSubstr("a")));
}

TEST(SanitizeTest, ControlCharactersAndLengthAreBounded) {
  EXPECT_EQ(SanitizePgMessage("a\tb\x01"
                              "c\r\n",
                              ""),
            "a b c");
  const std::string out = SanitizePgMessage(std::string(5000, 'x'), "");
  EXPECT_EQ(out.size(), 400u);
  EXPECT_TRUE(out.ends_with("..."));
}

TEST(RedactQuotedTest, QuotedSpansOfAConnectionStringGo) {
  EXPECT_EQ(RedactQuoted("missing \"=\" after \"hunter2\" in connection info string"),
            "missing \"...\" after \"...\" in connection info string");
  EXPECT_EQ(RedactQuoted("unterminated \"hunter2"), "unterminated \"...");
  EXPECT_EQ(RedactQuoted("no quotes"), "no quotes");
}

}  // namespace
}  // namespace vms::pg
