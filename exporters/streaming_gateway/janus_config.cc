#include "streaming_gateway/janus_config.h"

#include "vms/http/http_server.h"

namespace vms::streaming_gateway {

JanusConfig ParseJanus(MapReader& root) {
  JanusConfig c;
  if (!root.Has("janus")) return c;
  MapReader m = root.Map("janus");
  c.enabled = true;
  c.listen_address = m.String("listen_address");
  auto endpoint = ParseListenAddress(c.listen_address);
  if (!endpoint) m.Fail("listen_address", endpoint.error());
  // Events carry session ids and client addresses: they are for this host only.
  if (!endpoint->address().is_loopback()) {
    m.Fail("listen_address", "must be a loopback address (127.0.0.1:PORT or [::1]:PORT)");
  }
  c.username = m.String("username", "");
  if (m.Has("password")) m.Fail("password", "inline passwords are not accepted; use password_file");
  c.password = m.SecretFile("password_file");
  if (c.username.empty() != c.password.empty()) {
    m.Fail(c.username.empty() ? "password_file" : "username",
           "username and password_file go together (Janus' backend_user and backend_pwd)");
  }
  c.max_body_bytes = static_cast<std::size_t>(
      m.Integer("max_body_bytes", static_cast<long long>(c.max_body_bytes), 4096, 64 << 20));
  if (m.Has("plugins")) c.tracker.plugins = m.StringList("plugins");
  c.tracker.opaque_id_regex = m.Regex("opaque_id_regex", "");
  m.Each("mountpoints", [&](MapReader& mp) {
    const std::string id = mp.String("id");
    const std::string camera = mp.String("camera_id");
    if (camera.empty() || camera != SanitizeCameraId(camera)) {
      mp.Fail("camera_id", "must be 1-128 characters of A-Z a-z 0-9 _ . : -");
    }
    if (!c.tracker.mountpoints.emplace(id, camera).second) {
      mp.Fail("id", "mountpoint \"" + id + "\" is listed twice");
    }
  });
  c.tracker.max_handles = static_cast<std::size_t>(
      m.Integer("max_handles", static_cast<long long>(c.tracker.max_handles), 1, 1000000));
  m.Finish();
  return c;
}

}  // namespace vms::streaming_gateway
