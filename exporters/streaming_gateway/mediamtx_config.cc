#include "streaming_gateway/mediamtx_config.h"

#include "vms/base/url_credentials.h"

namespace vms::streaming_gateway {

MediaMtxConfig ParseMediaMtx(MapReader& root, const ProbeDefaults& defaults) {
  MediaMtxConfig c;
  if (!root.Has("mediamtx")) return c;
  MapReader m = root.Map("mediamtx");
  c.enabled = true;
  c.url = m.String("url", "http://127.0.0.1:9997");
  if (!c.url.starts_with("http://") && !c.url.starts_with("https://")) {
    m.Fail("url", "must start with http:// or https://");
  }
  // The URL is never echoed in an error: it may hold a password.
  const UrlCredentials split = SplitUrlCredentials(c.url);
  if (!split.password.empty()) {
    m.Fail("url", "holds a password; give username and password_file instead");
  }
  c.url = split.url;
  while (c.url.size() > 8 && c.url.back() == '/') c.url.pop_back();
  c.username = m.String("username", split.user);
  if (m.Has("password")) m.Fail("password", "inline passwords are not accepted; use password_file");
  c.password = m.SecretFile("password_file");
  c.interval = m.Duration("interval", defaults.interval, kMinProbeInterval, kMaxProbeInterval);
  c.timeout = m.Duration("timeout", defaults.timeout, kMinProbeTimeout, kMaxProbeInterval);
  if (c.timeout > c.interval) m.Fail("timeout", "must not exceed interval");
  c.path_regex = m.Regex("path_regex", "");
  c.items_per_page = static_cast<std::size_t>(
      m.Integer("items_per_page", static_cast<long long>(c.items_per_page), 1, 10000));
  m.Finish();
  return c;
}

}  // namespace vms::streaming_gateway
