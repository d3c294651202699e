#include "vms/http/web_config.h"
namespace vms {
Result<std::shared_ptr<WebSecurity>> LoadWebConfig(const std::string& path) {
  return Status::Error(path + ": web config support is being written");
}
}  // namespace vms
