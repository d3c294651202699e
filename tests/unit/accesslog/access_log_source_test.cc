#include "vms/accesslog/access_log_source.h"

#include <gtest/gtest.h>

namespace vms {
namespace {

std::vector<AccessLogSourceConfig> Parse(const std::string& yaml,
                                         std::vector<std::string>* role_values = nullptr) {
  MapReader root(ParseYaml(yaml, "test.yml"), "test.yml", "");
  auto sources = ParseAccessLogSources(root, "access_logs", "/var/lib/vms-exporters/test",
                                       [&](MapReader& item, std::size_t index) {
                                         // A role's own key in the same item.
                                         const std::string v = item.String("camera_id", "none");
                                         if (role_values) {
                                           EXPECT_EQ(index, role_values->size());
                                           role_values->push_back(v);
                                         }
                                       });
  root.Finish();
  return sources;
}

std::string ParseError(const std::string& yaml) {
  try {
    Parse(yaml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "accepted:\n" << yaml;
  return "";
}

TEST(AccessLogSourceTest, DefaultsAndEveryKey) {
  std::vector<std::string> role;
  const auto s = Parse(R"(
access_logs:
  - path: /var/log/nginx/access.log
  - path: /var/log/nginx/api.log
    format: json
    name: api
    max_line_bytes: 4096
    start_at: beginning
    poll_interval: 250ms
    state_dir: ""
    checkpoint_interval: 5s
    rotate_wait: 0s
    camera_id: '^/hls/([^/]+)/'
)",
                       &role);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].path, "/var/log/nginx/access.log");
  EXPECT_EQ(s[0].format, AccessLogFormat::kVms);
  EXPECT_EQ(s[0].name, "/var/log/nginx/access.log");
  EXPECT_EQ(s[0].follower.max_line_bytes, 16384u);
  EXPECT_TRUE(s[0].follower.start_at_end);
  EXPECT_EQ(s[0].follower.poll_interval, std::chrono::seconds(1));
  EXPECT_EQ(s[0].follower.state_dir, "/var/lib/vms-exporters/test");
  EXPECT_EQ(s[0].follower.checkpoint_interval, std::chrono::seconds(1));
  EXPECT_EQ(s[0].follower.rotate_wait, std::chrono::seconds(5));
  EXPECT_EQ(s[1].format, AccessLogFormat::kJson);
  EXPECT_EQ(s[1].name, "api");
  EXPECT_EQ(s[1].follower.max_line_bytes, 4096u);
  EXPECT_FALSE(s[1].follower.start_at_end);
  EXPECT_EQ(s[1].follower.poll_interval, std::chrono::milliseconds(250));
  EXPECT_EQ(s[1].follower.state_dir, "");
  EXPECT_EQ(s[1].follower.checkpoint_interval, std::chrono::seconds(5));
  EXPECT_EQ(s[1].follower.rotate_wait, std::chrono::seconds(0));
  EXPECT_EQ(role, (std::vector<std::string>{"none", "^/hls/([^/]+)/"}));
  EXPECT_TRUE(Parse("{}\n").empty());  // no list, no sources
}

TEST(AccessLogSourceTest, ErrorsNameTheFilePositionAndKey) {
  EXPECT_NE(ParseError("access_logs:\n  - format: vms\n").find("access_logs[0].path"),
            std::string::npos);
  EXPECT_NE(ParseError("access_logs:\n  - path: /a\n    format: apache\n")
                .find("test.yml:3:13: access_logs[0].format"),
            std::string::npos);
  EXPECT_NE(ParseError("access_logs:\n  - path: relative.log\n").find("absolute"),
            std::string::npos);
  EXPECT_NE(ParseError("access_logs:\n  - path: /a\n    max_line_bytes: 10\n").find("between"),
            std::string::npos);
  EXPECT_NE(ParseError("access_logs:\n  - path: /a\n    start_at: middle\n").find("start_at"),
            std::string::npos);
  EXPECT_NE(
      ParseError("access_logs:\n  - path: /a\n    poll_interval: 1ms\n").find("poll_interval"),
      std::string::npos);
  EXPECT_NE(ParseError("access_logs:\n  - path: /a\n    state_dir: rel\n").find("state_dir"),
            std::string::npos);
  // Keys neither this nor the role reads are refused when the item finishes.
  EXPECT_NE(ParseError("access_logs:\n  - path: /a\n    colour: red\n").find("unknown key"),
            std::string::npos);
  EXPECT_NE(ParseError("access_logs:\n  - path: /a\n  - path: /b\n    name: /a\n")
                .find("another access log has the name"),
            std::string::npos);
  EXPECT_NE(ParseError("access_logs:\n  - path: /a\n    name: x\n  - path: /a\n    name: y\n")
                .find("another access log reads /a"),
            std::string::npos);
}

TEST(AccessLogSourceTest, ASingleItemLeavesItsOtherKeysToTheRole) {
  MapReader item(ParseYaml("path: /a\nroutes: []\n", "t.yml"), "t.yml", "access_logs[0]");
  const AccessLogSourceConfig c = ParseAccessLogSource(item);
  EXPECT_EQ(c.follower.state_dir, "");
  EXPECT_THROW(item.Finish(), ConfigError);  // `routes` is the role's to read
  (void)item.StringList("routes");
  item.Finish();
}

}  // namespace
}  // namespace vms
