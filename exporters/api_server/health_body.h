#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vms::api_server {

// What a health endpoint's JSON says, in the common shape
//   {"status": "ok", "checks": {"database": "ok", "cache": "fail", ...}}
// A check's value may be a string, a boolean, or an object with a "status"
// member (Spring's and the IETF draft's shape).
struct HealthBody {
  std::string status;  // "" when absent
  // Each check in document order, true when it reads "ok", "up", "pass",
  // "healthy" (any case) or true.
  std::vector<std::pair<std::string, bool>> checks;
};

// nullopt when the body is not a JSON object. Pure: no I/O.
std::optional<HealthBody> ParseHealthBody(std::string_view body);

// True for "ok", "up", "pass", "healthy" in any case.
bool IsHealthyWord(std::string_view word);

}  // namespace vms::api_server
