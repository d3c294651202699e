#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "vms/base/status.h"
#include "vms/http/web_security.h"

namespace vms {

// Loads an exporter-toolkit web config file (tls_server_config,
// basic_auth_users). The returned object re-reads the file, and the
// certificate and key it names, when any of them changes, so certificates
// rotate without a restart; a broken new version keeps the last good one and
// is logged. An error here (at startup) names the file and what is wrong.
struct WebConfigOptions {
  // How often, at most, the files are looked at again (at a connection or a
  // request; nothing runs in between).
  std::chrono::nanoseconds check_interval = std::chrono::seconds(1);
};
Result<std::shared_ptr<WebSecurity>> LoadWebConfig(const std::string& path,
                                                   WebConfigOptions options = {});

}  // namespace vms
