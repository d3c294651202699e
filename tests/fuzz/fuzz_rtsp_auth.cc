// A WWW-Authenticate value as a camera may send it: parsed, the challenge
// chosen, and the Authorization built from it (Basic and Digest).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vms/rtsp/rtsp_auth.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view value(reinterpret_cast<const char*>(data), size);
  const auto challenges = vms::ParseAuthChallenges(value);
  const auto chosen = vms::ChooseChallenge(challenges);
  if (chosen && chosen->scheme == vms::AuthChallenge::Scheme::kDigest) {
    (void)vms::BuildDigestAuthorization(
        *chosen, "admin", "secret",
        {.method = "DESCRIBE", .uri = "rtsp://127.0.0.1/live", .cnonce = "0a4f113b", .nc = 1});
  }
  return 0;
}
