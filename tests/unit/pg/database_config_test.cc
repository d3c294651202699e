#include "vms/pg/database_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/subprocess.h"

namespace vms::pg {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
using ::testing::Not;

class DatabaseConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::MakeTempDir();
    std::ofstream(dir_ + "/pg") << "Hunter-2-Secret\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::vector<DatabaseConfig> Parse(const std::string& yaml, ProbeDefaults defaults = {}) {
    MapReader root(ParseYaml(yaml, file()), file(), "");
    auto databases = ParseDatabases(root, defaults);
    root.Finish();
    return databases;
  }
  std::string ErrorOf(const std::string& yaml) {
    try {
      Parse(yaml);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }
  std::string file() const { return dir_ + "/api.yml"; }
  std::string dir_;
};

TEST_F(DatabaseConfigTest, FullEntry) {
  const auto dbs = Parse(R"(
databases:
  - name: main
    conninfo: host=127.0.0.1 port=5432 dbname=vms user=monitor sslmode=disable
    password_file: pg
    interval: 15s
    timeout: 3s
    reconnect_backoff_max: 30s
    queries:
      - query_type: camera_list
        sql: SELECT count(*) FROM cameras
        interval: 30s
        timeout: 2s
      - query_type: ping
        sql: SELECT 1
    statements:
      query_types:
        - name: camera_lookup
          pattern: '^SELECT .* FROM cameras'
)");
  ASSERT_EQ(dbs.size(), 1u);
  const DatabaseConfig& d = dbs[0];
  EXPECT_EQ(d.name, "main");
  EXPECT_EQ(d.params, (std::vector<std::pair<std::string, std::string>>{{"user", "monitor"},
                                                                        {"dbname", "vms"},
                                                                        {"host", "127.0.0.1"},
                                                                        {"port", "5432"},
                                                                        {"sslmode", "disable"}}));
  EXPECT_EQ(d.password, "Hunter-2-Secret");  // relative to the config, line break dropped
  EXPECT_EQ(d.interval, milliseconds(15'000));
  EXPECT_EQ(d.timeout, milliseconds(3'000));
  EXPECT_EQ(d.reconnect_backoff_max, milliseconds(30'000));
  ASSERT_EQ(d.queries.size(), 2u);
  EXPECT_EQ(d.queries[0], (ProbeQueryConfig{"camera_list", "SELECT count(*) FROM cameras",
                                            milliseconds(30'000), milliseconds(2'000)}));
  // A query's interval and timeout default to its database's.
  EXPECT_EQ(d.queries[1],
            (ProbeQueryConfig{"ping", "SELECT 1", milliseconds(15'000), milliseconds(3'000)}));
  EXPECT_TRUE(d.statements);
  EXPECT_EQ(d.statement_types,
            (std::vector<StatementTypeConfig>{{"camera_lookup", "^SELECT .* FROM cameras"}}));
  EXPECT_EQ(d.Describe(), "host=127.0.0.1 port=5432 dbname=vms user=monitor");
}

TEST_F(DatabaseConfigTest, DefaultsComeFromProbes) {
  const auto dbs =
      Parse(R"(
databases:
  - name: a
    conninfo: host=/var/run/postgresql dbname=vms
  - name: b
    conninfo: postgresql://monitor@db.example:5433/vms
    interval: 1s
)",
            ProbeDefaults{.interval = milliseconds(20'000), .timeout = milliseconds(4'000)});
  ASSERT_EQ(dbs.size(), 2u);
  EXPECT_EQ(dbs[0].interval, milliseconds(20'000));
  EXPECT_EQ(dbs[0].timeout, milliseconds(4'000));
  EXPECT_EQ(dbs[0].password, "");
  EXPECT_FALSE(dbs[0].statements);
  EXPECT_TRUE(dbs[0].queries.empty());
  // probes.timeout beyond this database's interval shrinks to it.
  EXPECT_EQ(dbs[1].interval, milliseconds(1'000));
  EXPECT_EQ(dbs[1].timeout, milliseconds(1'000));
  EXPECT_EQ(dbs[1].Describe(), "host=db.example port=5433 dbname=vms user=monitor");
  EXPECT_TRUE(Parse("databases: []\n").empty());
  EXPECT_TRUE(Parse("{}").empty());
}

TEST_F(DatabaseConfigTest, EmptyStatementsSectionCountsEverythingAsOther) {
  const auto dbs = Parse(R"(
databases:
  - name: a
    conninfo: host=127.0.0.1
    statements: {}
)");
  ASSERT_EQ(dbs.size(), 1u);
  EXPECT_TRUE(dbs[0].statements);
  EXPECT_TRUE(dbs[0].statement_types.empty());
}

TEST_F(DatabaseConfigTest, PasswordInConninfoIsRejectedWithoutEchoingIt) {
  const std::string kv = ErrorOf(R"(
databases:
  - name: main
    conninfo: host=127.0.0.1 password=Hunter-2-Secret dbname=vms
)");
  EXPECT_EQ(kv, file() +
                    ":4:15: databases[0].conninfo: holds a password; give password_file "
                    "instead");
  const std::string uri = ErrorOf(R"(
databases:
  - name: main
    conninfo: postgresql://monitor:Hunter-2-Secret@127.0.0.1/vms
)");
  EXPECT_THAT(uri, HasSubstr("databases[0].conninfo: holds a password"));
  EXPECT_THAT(uri, Not(HasSubstr("Hunter")));
  const std::string inline_key = ErrorOf(R"(
databases:
  - name: main
    conninfo: host=127.0.0.1
    password: Hunter-2-Secret
)");
  EXPECT_THAT(inline_key, HasSubstr(":5:15: databases[0].password: inline passwords are not"));
  EXPECT_THAT(inline_key, Not(HasSubstr("Hunter")));
}

TEST_F(DatabaseConfigTest, MalformedConninfoIsNotQuoted) {
  // libpq's own message would quote "Hunter-2-Secret".
  const std::string e = ErrorOf(R"(
databases:
  - name: main
    conninfo: host=127.0.0.1 Hunter-2-Secret
)");
  EXPECT_THAT(e, HasSubstr(":4:15: databases[0].conninfo: is not a valid libpq connection string: "
                           "missing \"...\" after \"...\" in connection info string"));
  EXPECT_THAT(e, Not(HasSubstr("Hunter")));
}

TEST_F(DatabaseConfigTest, ErrorsNamePositionAndKey) {
  auto error = [&](const std::string& entry) {
    return ErrorOf("databases:\n  - name: main\n    conninfo: host=127.0.0.1\n" + entry);
  };
  EXPECT_EQ(error("    colour: blue\n"), file() + ":4:5: databases[0].colour: unknown key");
  EXPECT_EQ(error("    interval: 1s\n    timeout: 2s\n"),
            file() + ":5:14: databases[0].timeout: must not exceed interval");
  EXPECT_EQ(error("    password_file: missing\n"),
            file() + ":4:20: databases[0].password_file: cannot read " + dir_ + "/missing: open " +
                dir_ + "/missing: No such file or directory");
  EXPECT_EQ(error("    queries:\n      - query_type: stats\n        sql: SELECT 1\n"),
            file() +
                ":5:21: databases[0].queries[0].query_type: \"stats\" is the probe's own; "
                "choose another");
  EXPECT_EQ(error("    queries:\n      - query_type: 9lives\n        sql: SELECT 1\n"),
            file() +
                ":5:21: databases[0].queries[0].query_type: must be 1-64 characters of "
                "A-Z a-z 0-9 _, not starting with a digit");
  EXPECT_EQ(error("    queries:\n      - query_type: a\n        sql: ' ; '\n"),
            file() + ":6:14: databases[0].queries[0].sql: is empty");
  EXPECT_EQ(error("    queries:\n      - query_type: a\n        sql: SELECT 1\n"
                  "      - query_type: a\n        sql: SELECT 2\n"),
            file() + ":7:21: databases[0].queries[1].query_type: duplicate query_type \"a\"");
  EXPECT_EQ(error("    queries:\n      - query_type: a\n        sql: SELECT 1\n"
                  "        interval: 1s\n        timeout: 5s\n"),
            file() + ":8:18: databases[0].queries[0].timeout: must not exceed interval");
  EXPECT_EQ(error("    statements:\n      query_types:\n        - name: other\n"
                  "          pattern: x\n"),
            file() +
                ":6:17: databases[0].statements.query_types[0].name: \"other\" is what "
                "matches no pattern");
  EXPECT_EQ(error("    statements:\n      patterns: []\n"),
            file() + ":5:7: databases[0].statements.patterns: unknown key");
  EXPECT_EQ(ErrorOf("databases:\n  - name: a b\n    conninfo: host=x\n"),
            file() + ":2:11: databases[0].name: must be 1-64 characters of A-Z a-z 0-9 _ . : -");
  EXPECT_EQ(ErrorOf("databases:\n  - name: a\n    conninfo: host=x\n"
                    "  - name: a\n    conninfo: host=y\n"),
            file() + ":4:11: databases[1].name: duplicate database name \"a\"");
  EXPECT_EQ(ErrorOf("databases:\n  - name: a\n"),
            file() + ":2:5: databases[0].conninfo: is required");
}

TEST_F(DatabaseConfigTest, ConninfoRules) {
  EXPECT_TRUE(ParseConninfo("host=127.0.0.1").ok());
  EXPECT_TRUE(ParseConninfo("hostaddr=127.0.0.1 dbname=x").ok());
  EXPECT_TRUE(ParseConninfo("host=a,b port=1,2").ok());
  EXPECT_EQ(ParseConninfo("dbname=x").error(),
            "names no host; give host= (an address, a name, or a Unix socket directory)");
  EXPECT_EQ(ParseConninfo("host=x passfile=/p").error(),
            "names a password file; give password_file instead");
  EXPECT_EQ(ParseConninfo("host=x service=s").error(),
            "names a service file entry; give host, port and dbname instead");
  EXPECT_EQ(ParseConninfo("host=x connect_timeout=3").error(),
            "sets connect_timeout; the database's timeout bounds connecting");
  EXPECT_EQ(ParseConninfo("host=x colour=blue").error(),
            "is not a valid libpq connection string: invalid connection option \"...\"");
}

TEST_F(DatabaseConfigTest, LabelCardinalityIsCapped) {
  std::string yaml = "databases:\n  - name: a\n    conninfo: host=x\n    queries:\n";
  for (std::size_t i = 0; i <= kMaxProbeQueries; ++i) {
    yaml += "      - query_type: q" + std::to_string(i) + "\n        sql: SELECT 1\n";
  }
  EXPECT_THAT(ErrorOf(yaml), HasSubstr("databases[0].queries[32]: more than 32 queries"));
}

}  // namespace
}  // namespace vms::pg
