#pragma once

#include <string>
#include <string_view>

#include "vms/base/status.h"

namespace vms {

// Sends spdlog's default logger to stderr in logfmt or JSON, at `level`
// (debug, info, warn, error).
Status SetupLogging(std::string_view level, std::string_view format);

// Renders one log record; exposed for tests.
std::string FormatLogfmt(std::string_view time, std::string_view level, std::string_view msg);
std::string FormatJson(std::string_view time, std::string_view level, std::string_view msg);

}  // namespace vms
