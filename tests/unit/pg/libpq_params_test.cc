#include "libpq_params.h"

#include <gtest/gtest.h>

namespace vms::pg::internal {
namespace {

std::string Get(const Params& p, const std::string& key) {
  const std::string* v = FindParam(p, key);
  return v ? *v : "(absent)";
}

TEST(LibpqParamsTest, HostKinds) {
  EXPECT_EQ(ClassifyHost("127.0.0.1"), HostKind::kAddress);
  EXPECT_EQ(ClassifyHost("::1"), HostKind::kAddress);
  EXPECT_EQ(ClassifyHost("fe80::1"), HostKind::kAddress);
  EXPECT_EQ(ClassifyHost("/var/run/postgresql"), HostKind::kSocketDirectory);
  EXPECT_EQ(ClassifyHost("@abstract"), HostKind::kSocketDirectory);
  EXPECT_EQ(ClassifyHost(""), HostKind::kSocketDirectory);
  EXPECT_EQ(ClassifyHost("db.example"), HostKind::kName);
  EXPECT_EQ(ClassifyHost("127.0.0.1.example"), HostKind::kName);
  EXPECT_EQ(ClassifyHost("localhost"), HostKind::kName);
}

TEST(LibpqParamsTest, SplitCommasKeepsEmptyItems) {
  EXPECT_EQ(SplitCommas("a"), (std::vector<std::string>{"a"}));
  EXPECT_EQ(SplitCommas("a,,b"), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(SplitCommas(""), (std::vector<std::string>{""}));
}

TEST(LibpqParamsTest, EveryAddressOfANameBecomesAHostWithItsHostaddr) {
  const Params conninfo = {
      {"host", "localhost,/run/pg,db"}, {"port", "5432,5433,5434"}, {"dbname", "vms"}};
  const Params p = LibpqParams(conninfo, {"localhost", "/run/pg", "db"},
                               {{"::1", "127.0.0.1"}, {""}, {"10.0.0.5"}}, "pw");
  EXPECT_EQ(Get(p, "host"), "localhost,localhost,/run/pg,db");
  EXPECT_EQ(Get(p, "hostaddr"), "::1,127.0.0.1,,10.0.0.5");
  EXPECT_EQ(Get(p, "port"), "5432,5432,5433,5434");
  EXPECT_EQ(Get(p, "dbname"), "vms");
  EXPECT_EQ(Get(p, "password"), "pw");
  EXPECT_EQ(Get(p, "passfile"), "(absent)");
}

TEST(LibpqParamsTest, OnePortServesEveryHost) {
  const Params p =
      LibpqParams({{"host", "db"}, {"port", "6432"}}, {"db"}, {{"10.0.0.5", "10.0.0.6"}}, "");
  EXPECT_EQ(Get(p, "host"), "db,db");
  EXPECT_EQ(Get(p, "hostaddr"), "10.0.0.5,10.0.0.6");
  EXPECT_EQ(Get(p, "port"), "6432");
}

TEST(LibpqParamsTest, SocketsOnlyNeedNoHostaddr) {
  const Params p = LibpqParams({{"host", "/run/pg"}}, {"/run/pg"}, {{""}}, "");
  EXPECT_EQ(Get(p, "host"), "/run/pg");
  EXPECT_EQ(Get(p, "hostaddr"), "(absent)");
}

TEST(LibpqParamsTest, NoPasswordMeansNoPasswordFileEither) {
  const Params p = LibpqParams({{"hostaddr", "127.0.0.1"}}, {}, {}, "");
  EXPECT_EQ(Get(p, "password"), "(absent)");
  EXPECT_EQ(Get(p, "passfile"), "/dev/null/no-passfile");
  EXPECT_EQ(Get(p, "hostaddr"), "127.0.0.1");  // given: nothing resolved
}

TEST(LibpqParamsTest, DefaultsDoNotOverrideTheConninfo) {
  const Params defaults = LibpqParams({{"hostaddr", "127.0.0.1"}}, {}, {}, "x");
  EXPECT_EQ(Get(defaults, "application_name"), "vms-exporters");
  EXPECT_EQ(Get(defaults, "gssencmode"), "disable");
  const Params given = LibpqParams(
      {{"hostaddr", "127.0.0.1"}, {"application_name", "mine"}, {"gssencmode", "prefer"}}, {}, {},
      "x");
  EXPECT_EQ(Get(given, "application_name"), "mine");
  EXPECT_EQ(Get(given, "gssencmode"), "prefer");
}

}  // namespace
}  // namespace vms::pg::internal
