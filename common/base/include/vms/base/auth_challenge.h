#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vms {

// One challenge of a WWW-Authenticate value (RFC 7235 section 2.1): a scheme
// and either its auth-params or a token68. Shared by the RTSP client (which
// answers Basic and Digest) and the API server's JWT classifier (which reads
// RFC 6750's Bearer error="..." without ever seeing a token).
struct Challenge {
  std::string scheme;   // as sent ("Digest", "Bearer")
  std::string token68;  // "Negotiate YIIC...=="; empty when params are used
  std::vector<std::pair<std::string, std::string>> params;  // names as sent, values unquoted

  // The value of the first parameter called `name` (any case), or nullptr.
  const std::string* Param(std::string_view name) const;
};

// Every challenge in one header value, which may hold several ("Digest
// realm=..., nonce=..., Basic realm=..."), read loosely enough for cameras
// (spaces where they like). A token followed by something other than '='
// starts the next challenge; a token68 is recognised by its '=' padding
// ("Negotiate abc=="). On junk (an unterminated quoted string, a character no
// rule allows) parsing stops and the challenges before it are kept, so an odd
// extra scheme cannot hide the one a caller can use.
std::vector<Challenge> ParseChallenges(std::string_view header_value);

}  // namespace vms
