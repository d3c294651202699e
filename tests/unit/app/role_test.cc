#include "vms/app/role.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "vms/app/run_exporter.h"

namespace vms {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A role with one key of its own, `greeting:`, and one collector.
struct ToyConfig : CommonConfig {
  std::string greeting = "hello";
};

class ToyCollector : public Collector {
 public:
  std::string_view name() const override { return "toy"; }
  Status Collect(const ScrapeContext&, MetricWriter&) override { return Status::Ok(); }
};

RoleDefinition<ToyConfig> Toy() {
  return {
      .info = {"toy", "toy_exporter", ":9999", "A role for tests"},
      .own_default_config = "greeting: hi\n",
      .parse_own = [](MapReader& root,
                      ToyConfig& c) { c.greeting = root.String("greeting", c.greeting); },
      .own_collectors =
          [] {
            return std::vector<CollectorSpec<RoleDeps<ToyConfig>>>{
                {"toy", "A toy", false,
                 [](RoleDeps<ToyConfig>&) { return std::make_unique<ToyCollector>(); }}};
          },
  };
}

std::string ErrorOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(RoleTest, TheEmbeddedDefaultIsTheCommonPartThenTheRolesOwn) {
  const auto role = Toy();
  EXPECT_EQ(role.DefaultConfig(), std::string(kCommonDefaultConfig) + "greeting: hi\n");
  const ToyConfig c = role.Parse(role.DefaultConfig(), "<embedded default>");
  EXPECT_EQ(c.greeting, "hi");
  EXPECT_EQ(c.probes.interval, std::chrono::seconds(10));
  EXPECT_EQ(c.probes.timeout, std::chrono::seconds(5));
  EXPECT_EQ(c.probes.concurrency, 8);
}

TEST(RoleTest, CommonSectionsAreReadForEveryRole) {
  const auto role = Toy();
  const ToyConfig c = role.Parse(
      "probes:\n  interval: 30s\nhost:\n  services:\n    - name: nginx\n      comm: ^nginx$\n",
      "t.yml");
  EXPECT_EQ(c.probes.interval, std::chrono::seconds(30));
  ASSERT_EQ(c.host.services.size(), 1u);
  EXPECT_EQ(c.host.services[0].name, "nginx");
  EXPECT_EQ(c.greeting, "hello");
}

TEST(RoleTest, ErrorsNameTheKeyInCommonAndOwnSections) {
  const auto role = Toy();
  EXPECT_EQ(ErrorOf([&] { role.Parse("bogus: 1\n", "a.yml"); }), "a.yml:1:1: bogus: unknown key");
  EXPECT_EQ(ErrorOf([&] { role.Parse("greeting: [1]\n", "a.yml"); }),
            "a.yml:1:11: greeting: expected a string");
  EXPECT_EQ(
      ErrorOf([&] {
        role.Parse(
            "host:\n  services:\n    - name: nginx\n      comm: x\n    - name: api\n      cmd: x\n",
            "e.yml");
      }),
      "e.yml:6:7: host.services[1].cmd: unknown key");
  EXPECT_THAT(
      ErrorOf([&] { role.Parse("host:\n  network:\n    interfaces_exclude: '(['\n", "f.yml"); }),
      HasSubstr("f.yml:3:25: host.network.interfaces_exclude: invalid regular expression"));
}

TEST(RoleTest, TheCollectorTableIsTheRolesOwnThenTheHosts) {
  std::vector<std::string> names;
  for (const auto& spec : RoleCollectors(Toy())) names.push_back(spec.name);
  EXPECT_THAT(names, ElementsAre("toy", "diskspace", "diskstats", "netdev", "processes"));
  const auto flags = ExporterRuntime::Flags(RoleCollectors(Toy()));
  EXPECT_FALSE(flags[0].enabled_by_default);
  EXPECT_TRUE(flags[1].enabled_by_default);
}

}  // namespace
}  // namespace vms
