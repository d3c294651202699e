// ParseJson on arbitrary bytes, with the default limits and with tight ones
// (depth 4, 64 values, no UTF-8 validation).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vms/json/json_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)vms::ParseJson(text);
  (void)vms::ParseJson(
      text, {.max_depth = 4, .max_bytes = 1 << 16, .max_values = 64, .validate_utf8 = false});
  return 0;
}
