// The HTTP client's ResponseReader (Beast's parser plus our limits) on
// arbitrary bytes, fed in pieces whose size the first byte picks, as a GET
// and as a HEAD response, then the end of the stream.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "response_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t step = 1 + data[0] % 64;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  for (const bool head : {false, true}) {
    using State = vms::internal::ResponseReader::State;
    vms::internal::ResponseReader reader(4096, 16384, head);
    State state = State::kNeedMore;
    for (std::size_t at = 0; at < bytes.size() && state == State::kNeedMore; at += step) {
      state = reader.Feed(bytes.substr(at, step));
    }
    if (state == State::kNeedMore) state = reader.FeedEof();
    if (state == State::kComplete) {
      vms::HttpClientResult out;
      reader.TakeResponse(out);
    }
  }
  return 0;
}
