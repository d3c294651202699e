// The streaming_gateway role's YAML config on arbitrary text, through its
// Definition().Parse, the path a start and a reload take: bad text must
// end in a ConfigError (what the runtime reports), never in anything else.
#include <cstddef>
#include <cstdint>
#include <string>

#include "streaming_gateway/role.h"
#include "vms/config/yaml_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)vms::streaming_gateway::Definition().Parse(text, "fuzz.yml");
  } catch (const vms::ConfigError&) {
  }
  return 0;
}
