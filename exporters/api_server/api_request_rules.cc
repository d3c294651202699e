#include "api_server/api_request_rules.h"

#include <vector>

#include "vms/base/auth_challenge.h"
#include "vms/base/text.h"

namespace vms::api_server {
namespace {

// Whether `needle` occurs in `haystack`, in any case.
bool ContainsNoCase(std::string_view haystack, std::string_view needle) {
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    if (EqualsNoCase(haystack.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

}  // namespace

std::string_view MethodLabel(std::string_view method) {
  static constexpr std::array<std::string_view, 7> kMethods = {"GET",    "HEAD",  "POST",   "PUT",
                                                               "DELETE", "PATCH", "OPTIONS"};
  for (std::string_view m : kMethods) {
    if (m == method) return m;
  }
  return "OTHER";
}

std::string_view StatusLabel(int status, std::string& buffer) {
  if (status < 100 || status > 599) return "other";
  buffer = std::to_string(status);
  return buffer;
}

std::optional<JwtResult> ClassifyJwt(const AccessRecord& r, bool format_has_auth_fields,
                                     bool protected_route) {
  if (!protected_route) return std::nullopt;
  if (!format_has_auth_fields) {
    if (r.status == 401 || r.status == 403) return JwtResult::kRejected;
    if (r.status < 400) return JwtResult::kValid;
    return std::nullopt;
  }
  const bool bearer_sent = r.auth_scheme && *r.auth_scheme == "Bearer";
  // A response may offer several challenges; the Bearer one is what matters.
  const Challenge* bearer = nullptr;
  std::vector<Challenge> challenges;
  if (r.www_authenticate) challenges = ParseChallenges(*r.www_authenticate);
  for (const Challenge& c : challenges) {
    if (EqualsNoCase(c.scheme, "Bearer")) {
      bearer = &c;
      break;
    }
  }
  if (bearer != nullptr) {
    const std::string* error = bearer->Param("error");
    if (error == nullptr || error->empty()) {
      return bearer_sent ? JwtResult::kInvalid : JwtResult::kMissing;
    }
    if (*error == "insufficient_scope") return JwtResult::kInsufficientScope;
    const std::string* description = bearer->Param("error_description");
    if (*error == "invalid_token" && description != nullptr &&
        ContainsNoCase(*description, "expired")) {
      return JwtResult::kExpired;
    }
    return JwtResult::kInvalid;
  }
  if (!bearer_sent || r.status >= 500) return std::nullopt;  // a 5xx may never have checked it
  return r.status == 401 ? JwtResult::kInvalid : JwtResult::kValid;
}

LoginResult ClassifyLogin(int status) {
  if (status >= 200 && status < 400) return LoginResult::kSuccess;
  if (status == 429) return LoginResult::kThrottled;
  if (status >= 500) return LoginResult::kError;
  return LoginResult::kFailure;
}

}  // namespace vms::api_server
