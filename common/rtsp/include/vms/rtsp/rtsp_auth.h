#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vms {

// One challenge of a WWW-Authenticate header (RFC 2617, RFC 7616).
struct AuthChallenge {
  enum class Scheme { kBasic, kDigest, kOther };
  Scheme scheme = Scheme::kOther;
  std::string realm;
  // Digest only.
  std::string nonce;
  std::string opaque;
  std::string algorithm;         // as sent; empty means MD5
  std::vector<std::string> qop;  // offered qop values, e.g. {"auth"}
  bool stale = false;            // the nonce expired, the credentials were fine
};

// Parses every challenge in one WWW-Authenticate value; a value may hold
// several ("Digest realm=..., nonce=..., Basic realm=..."). Challenges that do
// not parse are skipped: a camera's odd extra scheme must not hide the one we
// can answer.
std::vector<AuthChallenge> ParseAuthChallenges(std::string_view header_value);

// The challenge to answer, strongest first: Digest with an algorithm we
// support (SHA-256, MD5, and their -sess forms), then Basic.
std::optional<AuthChallenge> ChooseChallenge(const std::vector<AuthChallenge>& challenges);

// "Basic base64(user:password)".
std::string BuildBasicAuthorization(std::string_view user, std::string_view password);

struct DigestRequest {
  std::string_view method;  // "DESCRIBE"
  std::string_view uri;     // the request URI, exactly as on the request line
  std::string_view cnonce;  // client nonce, used when qop is offered
  std::uint32_t nc = 1;     // times this nonce has been used, counting this one
};

// The Authorization value answering a Digest challenge. Uses qop=auth when
// offered (auth-int with the empty body otherwise), the RFC 2069 form when no
// qop is offered. std::nullopt for an unsupported algorithm.
std::optional<std::string> BuildDigestAuthorization(const AuthChallenge& challenge,
                                                    std::string_view user,
                                                    std::string_view password,
                                                    const DigestRequest& request);

}  // namespace vms
