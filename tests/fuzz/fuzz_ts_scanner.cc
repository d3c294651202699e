// The MPEG-TS program table capture and the window scanner on arbitrary
// bytes, fed in pieces whose sizes come from the input itself (packets split
// between feeds), following the PIDs the first two bytes name.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "vms/media/ts_packet_scanner.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const std::vector<int> pids = {0x100, data[0] | ((data[1] & 0x1f) << 8)};
  const std::size_t step = 1 + data[2] % 200;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 3, size - 3);

  vms::media::TsProgramTables captured;
  vms::media::CaptureProgramTables(bytes, &captured);
  (void)captured.Prefix();

  vms::media::TsProgramTables tables;
  vms::media::TsWindowScanner scanner(pids, &tables);
  for (std::size_t at = 0; at < bytes.size(); at += step) scanner.Feed(bytes.substr(at, step));
  if (scanner.continuation_bytes() > bytes.size()) std::abort();
  (void)scanner.done();
  return 0;
}
