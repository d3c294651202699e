#pragma once

#include <array>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "api_server/route_table.h"
#include "vms/accesslog/access_record.h"

namespace vms::api_server {

// What a JWT-protected request's outcome was, from its Authorization scheme
// and the WWW-Authenticate challenge sent back (RFC 6750).
enum class JwtResult { kValid, kExpired, kInvalid, kMissing, kInsufficientScope, kRejected };
inline constexpr std::array<std::string_view, 6> kJwtResultNames = {
    "valid", "expired", "invalid", "missing", "insufficient_scope", "rejected"};

// What a login request's outcome was, by its status.
enum class LoginResult { kSuccess, kFailure, kThrottled, kError };
inline constexpr std::array<std::string_view, 4> kLoginResultNames = {"success", "failure",
                                                                      "throttled", "error"};

// The methods that have their own method label; the rest fold into "OTHER"
// (a client can send any token as a method).
std::string_view MethodLabel(std::string_view method);
// "200" .. "599" (and 1xx), as logged; anything else is "other".
std::string_view StatusLabel(int status, std::string& buffer);

// The JWT outcome of a request, or nullopt when it is not one:
//  - a Bearer challenge with error="invalid_token": "expired" when its
//    error_description says the token expired, else "invalid";
//    error="insufficient_scope": "insufficient_scope"; other errors: "invalid";
//  - a bare Bearer challenge: "missing" without an Authorization header,
//    else "invalid";
//  - a Bearer Authorization without a challenge: "valid", or "invalid" when
//    refused with 401 (a 5xx is not counted: the token may never have been
//    checked);
//  - in a format that logs neither (combined), on a `protected` route:
//    "valid" below 400, "rejected" for 401 and 403 (the log cannot say why).
// Requests on routes that are not `protected_route` are not JWT requests.
// Only the scheme and the challenge's error codes are read: never a token.
std::optional<JwtResult> ClassifyJwt(const AccessRecord& r, bool format_has_auth_fields,
                                     bool protected_route);

// 2xx and 3xx: success; 429: throttled; 5xx: error; other statuses: failure.
LoginResult ClassifyLogin(int status);

// How one access log's requests are counted, compiled from its config.
struct ApiRequestRules {
  RouteTable routes;
  bool has_auth_fields = true;  // false for combined
  // Empty: every route in formats with auth fields, none in combined.
  std::set<std::string, std::less<>> protected_routes;
  std::optional<std::string> login_route;  // a template of `routes`
  std::string login_method = "POST";
  std::set<std::string, std::less<>> latency_excluded;  // templates kept out of the histogram
};

}  // namespace vms::api_server
