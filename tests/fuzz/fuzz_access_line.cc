// ParseAccessLine on an arbitrary line in each of the three formats (vms,
// combined, json), and ParseAccessLineInto reusing one record across them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vms/accesslog/access_line_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  vms::AccessRecord reused;
  for (const auto format :
       {vms::AccessLogFormat::kVms, vms::AccessLogFormat::kCombined, vms::AccessLogFormat::kJson}) {
    (void)vms::ParseAccessLine(format, line);
    (void)vms::ParseAccessLineInto(format, line, reused);
  }
  return 0;
}
