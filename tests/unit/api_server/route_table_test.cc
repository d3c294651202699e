#include "api_server/route_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vms::api_server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

RouteTable Table(const std::vector<std::string>& routes) {
  auto t = RouteTable::Make(routes);
  EXPECT_TRUE(t.ok()) << t.error();
  return t.ok() ? std::move(*t) : RouteTable{};
}

TEST(RouteTableTest, MatchesParametersOneSegmentEach) {
  const RouteTable t =
      Table({"/api/cameras/:id", "/api/cameras/:id/recordings", "/api/login", "/health"});
  EXPECT_EQ(t.Match("/api/cameras/cam1"), "/api/cameras/:id");
  EXPECT_EQ(t.Match("/api/cameras/cam1/"), "/api/cameras/:id");
  EXPECT_EQ(t.Match("/api/cameras/cam1/recordings"), "/api/cameras/:id/recordings");
  EXPECT_EQ(t.Match("/api/login"), "/api/login");
  EXPECT_EQ(t.Match("/health"), "/health");
  EXPECT_EQ(t.Match("/api/cameras"), kOtherEndpoint);
  EXPECT_EQ(t.Match("/api/cameras//recordings"), kOtherEndpoint);  // empty id
  EXPECT_EQ(t.Match("/api/cameras/a/b"), kOtherEndpoint);
  EXPECT_EQ(t.Match("/api/cameras/a%2Fb/recordings"), "/api/cameras/:id/recordings");
  EXPECT_EQ(t.Match(""), kOtherEndpoint);
  EXPECT_EQ(t.Match("health"), kOtherEndpoint);
  EXPECT_EQ(t.Match("/HEALTH"), kOtherEndpoint);
}

TEST(RouteTableTest, LiteralSegmentsWinOverParametersWhateverTheOrder) {
  const RouteTable t = Table({"/api/:kind/list", "/api/cameras/:id", "/api/cameras/new", "/"});
  EXPECT_EQ(t.Match("/api/cameras/new"), "/api/cameras/new");
  EXPECT_EQ(t.Match("/api/cameras/list"), "/api/cameras/:id");  // more leading literals
  EXPECT_EQ(t.Match("/api/users/list"), "/api/:kind/list");
  EXPECT_EQ(t.Match("/"), "/");
}

TEST(RouteTableTest, OpenApiBracesAndRestWildcard) {
  const RouteTable t = Table({"/v1/cameras/{cameraId}", "/static/*"});
  EXPECT_EQ(t.Match("/v1/cameras/7"), "/v1/cameras/{cameraId}");
  EXPECT_EQ(t.Match("/static/js/app.js"), "/static/*");
  EXPECT_EQ(t.Match("/static/x"), "/static/*");
  EXPECT_EQ(t.Match("/static"), kOtherEndpoint);
}

TEST(RouteTableTest, RefusesBadTemplates) {
  EXPECT_THAT(RouteTable::Make({"api"}).error(), HasSubstr("does not start with"));
  EXPECT_THAT(RouteTable::Make({"/a//b"}).error(), HasSubstr("empty segment"));
  EXPECT_THAT(RouteTable::Make({"/a/*/b"}).error(), HasSubstr("must be last"));
  EXPECT_THAT(RouteTable::Make({"/a/:"}).error(), HasSubstr("without a name"));
  EXPECT_THAT(RouteTable::Make({"/a", "/a"}).error(), HasSubstr("twice"));
  EXPECT_THAT(RouteTable::Make(std::vector<std::string>(kMaxRoutes + 1, "/x")).error(),
              HasSubstr("more than"));
}

TEST(OpenApiRoutesTest, ReadsPathsOfYamlAndJsonDocuments) {
  auto yaml = OpenApiRoutes(
      "openapi: 3.0.0\npaths:\n  /cameras/{id}:\n    get: {}\n  /login:\n    post: {}\n",
      "api.yaml", "/api/");
  ASSERT_TRUE(yaml.ok()) << yaml.error();
  EXPECT_THAT(*yaml, ElementsAre("/api/cameras/{id}", "/api/login"));
  auto json = OpenApiRoutes(R"({"swagger":"2.0","basePath":"/v2","paths":{"/pets/{petId}":{}}})",
                            "api.json");
  ASSERT_TRUE(json.ok()) << json.error();
  EXPECT_THAT(*json, ElementsAre("/v2/pets/{petId}"));
}

TEST(OpenApiRoutesTest, SaysWhatIsWrong) {
  EXPECT_THAT(OpenApiRoutes("{", "a.json").error(), HasSubstr("not YAML or JSON"));
  EXPECT_THAT(OpenApiRoutes("paths: {}", "a.yaml").error(), HasSubstr("not an OpenAPI"));
  EXPECT_THAT(OpenApiRoutes("openapi: 3.0.0\n", "a.yaml").error(), HasSubstr("no paths"));
  EXPECT_THAT(OpenApiRoutes("openapi: 3.0.0\npaths:\n  cams: {}\n", "a.yaml").error(),
              HasSubstr("does not start"));
}

}  // namespace
}  // namespace vms::api_server
