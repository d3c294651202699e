#include "vms/accesslog/access_log_source.h"

#include <set>

namespace vms {

AccessLogSourceConfig ParseAccessLogSource(MapReader& m, const std::string& default_state_dir) {
  using std::chrono::milliseconds;
  AccessLogSourceConfig c;
  c.path = m.String("path");
  if (c.path.empty() || c.path[0] != '/') m.Fail("path", "must be an absolute path");
  const std::string format = m.String("format", "vms");
  const auto parsed = ParseAccessLogFormat(format);
  if (!parsed) m.Fail("format", "must be vms, combined or json, not \"" + format + "\"");
  c.format = *parsed;
  c.name = m.String("name", c.path);
  if (c.name.empty()) m.Fail("name", "must not be empty");
  LogFollowerOptions& f = c.follower;
  f.max_line_bytes = static_cast<std::size_t>(m.Integer("max_line_bytes", 16 * 1024, 256, 1 << 20));
  const std::string start_at = m.String("start_at", "end");
  if (start_at != "end" && start_at != "beginning") {
    m.Fail("start_at", "must be end or beginning, not \"" + start_at + "\"");
  }
  f.start_at_end = start_at == "end";
  f.poll_interval =
      m.Duration("poll_interval", milliseconds(1000), milliseconds(10), milliseconds(60'000));
  f.state_dir = m.String("state_dir", default_state_dir);
  if (!f.state_dir.empty() && f.state_dir[0] != '/') {
    m.Fail("state_dir", "must be an absolute path (or \"\" for no checkpoint)");
  }
  f.checkpoint_interval = m.Duration("checkpoint_interval", milliseconds(1000), milliseconds(0),
                                     milliseconds(3'600'000));
  f.rotate_wait =
      m.Duration("rotate_wait", milliseconds(5000), milliseconds(0), milliseconds(3'600'000));
  return c;
}

std::vector<AccessLogSourceConfig> ParseAccessLogSources(
    MapReader& parent, const std::string& key, const std::string& default_state_dir,
    const std::function<void(MapReader& item, std::size_t index)>& role_keys) {
  std::vector<AccessLogSourceConfig> sources;
  std::set<std::string> names, paths;
  parent.Each(key, [&](MapReader& item) {
    AccessLogSourceConfig c = ParseAccessLogSource(item, default_state_dir);
    if (!names.insert(c.name).second) {
      item.Fail(item.Has("name") ? "name" : "path",
                "another access log has the name \"" + c.name + "\"");
    }
    if (!paths.insert(c.path).second) {
      item.Fail("path", "another access log reads " + c.path);
    }
    if (role_keys) role_keys(item, sources.size());
    sources.push_back(std::move(c));
  });
  return sources;
}

}  // namespace vms
