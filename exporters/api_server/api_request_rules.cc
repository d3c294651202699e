#include "api_server/api_request_rules.h"

#include <algorithm>
#include <cctype>

namespace vms::api_server {
namespace {

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool IContains(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    if (IEquals(haystack.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

// The value of auth-param `name` in a challenge's parameters (`a="x", b=y`),
// unquoted; empty when absent.
std::string_view AuthParam(std::string_view params, std::string_view name) {
  std::size_t i = 0;
  while (i < params.size()) {
    while (i < params.size() && (params[i] == ' ' || params[i] == ',' || params[i] == '\t')) ++i;
    const std::size_t eq = params.find('=', i);
    if (eq == std::string_view::npos) return {};
    std::string_view key = params.substr(i, eq - i);
    while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
    i = eq + 1;
    while (i < params.size() && params[i] == ' ') ++i;
    std::string_view value;
    if (i < params.size() && params[i] == '"') {
      const std::size_t start = ++i;
      while (i < params.size() && params[i] != '"') i += params[i] == '\\' ? 2 : 1;
      value = params.substr(start, std::min(i, params.size()) - start);
      ++i;
    } else {
      const std::size_t end = std::min(params.find(',', i), params.size());
      value = params.substr(i, end - i);
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
      i = end;
    }
    if (IEquals(key, name)) return value;
  }
  return {};
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
  const std::string_view challenge =
      r.www_authenticate ? std::string_view(*r.www_authenticate) : std::string_view{};
  // A response may offer several challenges; the Bearer one is what matters.
  const bool bearer_challenge = challenge.size() >= 6 && IEquals(challenge.substr(0, 6), "Bearer");
  if (bearer_challenge) {
    const std::string_view params = challenge.substr(6);
    const std::string_view error = AuthParam(params, "error");
    if (error.empty()) return bearer_sent ? JwtResult::kInvalid : JwtResult::kMissing;
    if (error == "insufficient_scope") return JwtResult::kInsufficientScope;
    if (error == "invalid_token" && IContains(AuthParam(params, "error_description"), "expired")) {
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
