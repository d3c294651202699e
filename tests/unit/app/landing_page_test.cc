#include "vms/app/landing_page.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vms {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const RoleInfo kRole{"recording_node", "recording_node_exporter", ":9090",
                     "Exporter for <recording> nodes"};

TEST(LandingPageTest, LinksAndRoleAreShown) {
  const std::string html = RenderLandingPage(kRole, "/metrics", {});
  EXPECT_THAT(html, HasSubstr("<title>recording_node_exporter</title>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/metrics\">Metrics</a>"));
  EXPECT_THAT(html, HasSubstr("Exporter for &lt;recording&gt; nodes"));
}

TEST(LandingPageTest, EveryCellIsEscaped) {
  StatusTable t{"Cameras <b>", {"camera", "note"}, {{"cam\"1", "<script>alert(1)</script>"}}};
  const std::string html = RenderLandingPage(kRole, "/m?a=1&b=2", {t});
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(html, HasSubstr("<h2>Cameras &lt;b&gt;</h2>"));
  EXPECT_THAT(html, HasSubstr("cam&quot;1"));
  EXPECT_THAT(html, HasSubstr("href=\"/m?a=1&amp;b=2\""));
}

TEST(LandingPageTest, AnEmptyTableSaysNone) {
  StatusTable t{"Mounts", {"mount point", "device", "state"}, {}};
  EXPECT_THAT(RenderLandingPage(kRole, "/metrics", {t}),
              HasSubstr("<tr><td colspan=\"3\">none</td></tr>"));
}

TEST(LandingPageTest, HtmlEscape) {
  EXPECT_EQ(HtmlEscape("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
}

}  // namespace
}  // namespace vms
