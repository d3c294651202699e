#pragma once

#include <cstddef>
#include <string_view>

#include "vms/base/status.h"
#include "vms/json/json_value.h"

namespace vms {

// Bounds on what one ParseJson call may build, so hostile or broken input
// (a runaway API response, a log line of '[') costs bounded stack and memory.
struct JsonLimits {
  // Nesting of arrays and objects; capped at kMaxJsonDepth whatever is asked,
  // since the parser recurses once per level.
  std::size_t max_depth = 64;
  // Size of the whole text.
  std::size_t max_bytes = 8 << 20;
  // Values of any kind (each array element, member value and the root): a
  // DOM value takes ~50 bytes, so "[0,0,..." would otherwise grow 25 times
  // its text.
  std::size_t max_values = 1 << 20;
  // Strings must be valid UTF-8 (RFC 8259 section 8.1). nginx's escape=json
  // passes bytes >= 0x80 through as they came, so an access log parser turns
  // this off rather than lose a client's line for a broken User-Agent.
  bool validate_utf8 = true;
};

inline constexpr std::size_t kMaxJsonDepth = 512;

// Parses one JSON text strictly by RFC 8259: one value with optional white
// space around it; no comments, trailing commas, single quotes, NaN,
// leading zeros or raw control characters; strings must be valid UTF-8 and
// \u escapes valid UTF-16 (a lone surrogate is an error). A number beyond
// the range of a double is an error; one too small for it reads as 0 (its
// text is kept). The error names the byte offset and what was expected.
Result<JsonValue> ParseJson(std::string_view text, JsonLimits limits = {});

}  // namespace vms
