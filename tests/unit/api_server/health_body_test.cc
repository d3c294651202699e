#include "api_server/health_body.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vms::api_server {
namespace {

using Checks = std::vector<std::pair<std::string, bool>>;

HealthBody Parsed(std::string_view text) {
  auto body = ParseHealthBody(text);
  EXPECT_TRUE(body) << text;
  return body.value_or(HealthBody{});
}

// Seed 001's endpoint: {status: 'UP', checks: {database, cache, storage}},
// each check's value whatever checkX() returned.
TEST(HealthBodyTest, SeedShape) {
  const HealthBody b =
      Parsed(R"({"status": "UP", "checks": {"database": true, "cache": false, "storage": true}})");
  EXPECT_EQ(b.status, "UP");
  EXPECT_EQ(b.checks, (Checks{{"database", true}, {"cache", false}, {"storage", true}}));
  // The backend of the tests (tests/support/api_backend.py).
  EXPECT_EQ(Parsed(R"({"status": "fail", "checks": {"database": "fail", "cache": "ok",
                       "storage": "ok"}})")
                .checks,
            (Checks{{"database", false}, {"cache", true}, {"storage", true}}));
}

TEST(HealthBodyTest, ValueShapes) {
  const HealthBody b = Parsed(R"({"checks": {
      "s_ok": "ok", "s_up": "Up", "s_pass": "PASS", "s_healthy": "healthy",
      "s_warn": "warn", "s_down": "DOWN", "s_empty": "",
      "spring": {"status": "UP", "details": {"database": "PostgreSQL"}},
      "spring_down": {"status": "DOWN"},
      "no_status": {"state": "ok"},
      "ietf": [{"componentType": "datastore", "status": "pass"}, {"status": "pass"}],
      "ietf_one_fails": [{"status": "pass"}, {"status": "fail"}],
      "empty_array": [],
      "array_of_words": ["ok"],
      "number": 1, "null": null, "bool_true": true
  }})");
  EXPECT_EQ(b.status, "");
  EXPECT_EQ(b.checks, (Checks{{"s_ok", true},
                              {"s_up", true},
                              {"s_pass", true},
                              {"s_healthy", true},
                              {"s_warn", false},
                              {"s_down", false},
                              {"s_empty", false},
                              {"spring", true},
                              {"spring_down", false},
                              {"no_status", false},
                              {"ietf", true},
                              {"ietf_one_fails", false},
                              {"empty_array", false},
                              {"array_of_words", false},
                              {"number", false},
                              {"null", false},
                              {"bool_true", true}}));
}

TEST(HealthBodyTest, NameGivenTwiceKeepsItsFirstValue) {
  EXPECT_EQ(Parsed(R"({"checks": {"db": "ok", "db": "fail", "cache": "ok"}})").checks,
            (Checks{{"db", true}, {"cache", true}}));
}

TEST(HealthBodyTest, OddButObjectBodies) {
  EXPECT_EQ(Parsed("{}").checks, Checks{});
  EXPECT_EQ(Parsed(R"({"status": 1, "checks": ["database"]})").status, "");
  EXPECT_EQ(Parsed(R"({"status": 1, "checks": ["database"]})").checks, Checks{});
  EXPECT_EQ(Parsed(R"({"checks": "ok"})").checks, Checks{});
  EXPECT_EQ(Parsed(R"({"checks": null, "status": "ok"})").status, "ok");
  // Only the top level's "checks" counts.
  EXPECT_EQ(Parsed(R"({"data": {"checks": {"db": "ok"}}})").checks, Checks{});
  EXPECT_EQ(Parsed(" \n{\"status\":\"ok\"}\n").status, "ok");
}

TEST(HealthBodyTest, GarbageIsNoBody) {
  for (std::string_view text :
       {"", "hello\n", "ok", "[]", R"(["ok"])", "\"ok\"", "true", "null", "{", R"({"status": "ok")",
        R"({"status": "ok"} trailing)", "{'status': 'ok'}", R"({"status": "ok",})",
        "<html><body>502 Bad Gateway</body></html>", "\xff\xfe{}"}) {
    EXPECT_FALSE(ParseHealthBody(text)) << text;
  }
}

TEST(HealthBodyTest, HostileBodiesAreRefusedCheaply) {
  // Deeper than 16 levels, more than 4096 values, over 1 MiB: not parsed.
  EXPECT_FALSE(ParseHealthBody(std::string(100, '[') + std::string(100, ']')));
  std::string deep = R"({"checks": {"db": )";
  for (int i = 0; i < 20; ++i) deep += R"({"status": )";
  deep += "\"ok\"" + std::string(20, '}') + "}}";
  EXPECT_FALSE(ParseHealthBody(deep));
  std::string many = R"({"checks": {)";
  for (int i = 0; i < 5000; ++i)
    many.append(i ? ",\"c" : "\"c").append(std::to_string(i)).append("\": 1");
  many += "}}";
  EXPECT_FALSE(ParseHealthBody(many));
  const std::string big = R"({"status": ")" + std::string(1 << 20, 'x') + "\"}";
  EXPECT_FALSE(ParseHealthBody(big));
  // Just within: 4000 checks parse.
  std::string within = R"({"checks": {)";
  for (int i = 0; i < 4000; ++i)
    within.append(i ? ",\"c" : "\"c").append(std::to_string(i)).append("\": 1");
  within += "}}";
  auto b = ParseHealthBody(within);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->checks.size(), 4000u);
}

TEST(HealthBodyTest, CheckNameValidity) {
  EXPECT_TRUE(IsValidCheckName("database"));
  EXPECT_TRUE(IsValidCheckName("cassandra:responseTime"));
  EXPECT_TRUE(IsValidCheckName("Sql Server"));
  EXPECT_TRUE(IsValidCheckName("\xc3\xa9tat"));  // UTF-8 is fine in a label
  EXPECT_TRUE(IsValidCheckName(std::string(64, 'a')));
  EXPECT_FALSE(IsValidCheckName(""));
  EXPECT_FALSE(IsValidCheckName(std::string(65, 'a')));
  EXPECT_FALSE(IsValidCheckName("a\nb"));
  EXPECT_FALSE(IsValidCheckName("a\tb"));
  EXPECT_FALSE(IsValidCheckName(std::string("a\0b", 3)));
  EXPECT_FALSE(IsValidCheckName("a\x7f"));
}

TEST(HealthCheckNamesTest, ConfiguredFirstThenAsBodiesNameThem) {
  HealthCheckNames names({"database", "cache"}, 4);
  EXPECT_EQ(names.Initial(), (Checks{{"database", false}, {"cache", false}}));
  HealthBody b = Parsed(R"({"checks": {"storage": "ok", "cache": "ok", "database": "fail"}})");
  EXPECT_EQ(names.Update(&b), (Checks{{"database", false}, {"cache", true}, {"storage", true}}));
  // A later body that no longer names a check reads 0 for it; no body at all
  // (a failed probe, garbage) reads 0 for every check.
  b = Parsed(R"({"checks": {"database": "ok"}})");
  EXPECT_EQ(names.Update(&b), (Checks{{"database", true}, {"cache", false}, {"storage", false}}));
  EXPECT_EQ(names.Update(nullptr),
            (Checks{{"database", false}, {"cache", false}, {"storage", false}}));
  EXPECT_EQ(names.capped(), 0u);
  EXPECT_EQ(names.invalid(), 0u);
}

TEST(HealthCheckNamesTest, CapRefusesNewNamesCountingEachOnce) {
  HealthCheckNames names({"database"}, 2);
  HealthBody b = Parsed(R"({"checks": {"database": "ok", "cache": "ok", "x1": "ok", "x2": "ok"}})");
  EXPECT_EQ(names.Update(&b), (Checks{{"database", true}, {"cache", true}}));
  EXPECT_EQ(names.capped(), 2u);
  EXPECT_EQ(names.Update(&b), (Checks{{"database", true}, {"cache", true}}));
  EXPECT_EQ(names.capped(), 2u);  // the same names again: not counted again
  b = Parsed(R"({"checks": {"x3": "ok"}})");
  names.Update(&b);
  EXPECT_EQ(names.capped(), 3u);
}

TEST(HealthCheckNamesTest, MaxChecksZeroKeepsOnlyTheConfigured) {
  HealthCheckNames names({}, 0);
  HealthBody b = Parsed(R"({"checks": {"database": "ok"}})");
  EXPECT_EQ(names.Update(&b), Checks{});
  EXPECT_EQ(names.capped(), 1u);
}

TEST(HealthCheckNamesTest, InvalidNamesNeverBecomeLabels) {
  HealthCheckNames names({}, 8);
  const std::string long_name(65, 'n');
  std::string text = R"({"checks": {"": "ok", "a\nb": "ok", ")";
  text += long_name;
  text += R"(": "ok", "fine": "ok"}})";
  HealthBody b = Parsed(text);
  EXPECT_EQ(names.Update(&b), (Checks{{"fine", true}}));
  EXPECT_EQ(names.invalid(), 3u);
  EXPECT_EQ(names.capped(), 0u);
  names.Update(&b);
  EXPECT_EQ(names.invalid(), 3u);  // each once
}

TEST(HealthCheckNamesTest, BeyondTheMemoryOfRefusedNamesEachNewSightingCounts) {
  HealthCheckNames names({}, 0);
  // More names than a body may hold (4096 values): built directly.
  HealthBody all;
  for (std::size_t i = 0; i < HealthCheckNames::kMaxRemembered; ++i) {
    std::string name = "c";
    name += std::to_string(i);
    all.checks.emplace_back(std::move(name), true);
  }
  names.Update(&all);
  EXPECT_EQ(names.capped(), HealthCheckNames::kMaxRemembered);
  names.Update(&all);  // remembered: not counted again
  EXPECT_EQ(names.capped(), HealthCheckNames::kMaxRemembered);
  HealthBody more;
  more.checks = {{"new1", true}, {"new2", true}};
  names.Update(&more);
  names.Update(&more);  // no room to remember them: counted at each sighting
  EXPECT_EQ(names.capped(), HealthCheckNames::kMaxRemembered + 4);
}

}  // namespace
}  // namespace vms::api_server
