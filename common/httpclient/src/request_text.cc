#include "request_text.h"

#include <algorithm>
#include <array>

#include "vms/base/text.h"

namespace vms::internal {
namespace {

// RFC 9110 tchar.
bool IsToken(std::string_view s) {
  static constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
           kExtra.find(c) != std::string_view::npos;
  });
}

bool SafeValue(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

constexpr std::array<std::string_view, 3> kClientOwned = {"Connection", "Content-Length",
                                                          "Transfer-Encoding"};

bool Given(const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return EqualsNoCase(h.first, name); });
}

}  // namespace

Status CheckRequestHeaders(std::string_view method,
                           const std::vector<std::pair<std::string, std::string>>& headers) {
  if (!IsToken(method)) return Status::Error("the method is not an HTTP token");
  for (const auto& [name, value] : headers) {
    if (!IsToken(name)) return Status::Error("a header name is not an HTTP token");
    for (const std::string_view owned : kClientOwned) {
      if (EqualsNoCase(name, owned))
        return Status::Error("header " + name + " is set by the client");
    }
    if (!SafeValue(value))
      return Status::Error("header " + name + " has a CR, LF or NUL in its value");
  }
  return Status::Ok();
}

Result<std::string> BuildRequestText(const RequestParts& parts) {
  const Status checked = CheckRequestHeaders(parts.method, *parts.headers);
  if (!checked.ok()) return checked;
  if (!SafeValue(parts.user_agent) || !SafeValue(parts.authorization)) {
    return Status::Error("the user agent or credentials hold a CR, LF or NUL");
  }
  const auto& headers = *parts.headers;
  std::string out;
  out.reserve(256 + parts.body.size());
  out.append(parts.method).append(" ").append(parts.url->target).append(" HTTP/1.1\r\n");
  const auto add = [&](std::string_view name, std::string_view value) {
    out.append(name).append(": ").append(value).append("\r\n");
  };
  if (!Given(headers, "Host")) add("Host", parts.url->HostHeader());
  if (!Given(headers, "User-Agent") && !parts.user_agent.empty())
    add("User-Agent", parts.user_agent);
  if (!Given(headers, "Accept")) add("Accept", "*/*");
  if (!Given(headers, "Authorization") && !parts.authorization.empty()) {
    add("Authorization", parts.authorization);
  }
  for (const auto& [name, value] : headers) add(name, value);
  // A request with a body-carrying method says its length even when empty,
  // or some servers wait for one (RFC 9110 8.6).
  if (!parts.body.empty() || parts.method == "POST" || parts.method == "PUT" ||
      parts.method == "PATCH") {
    add("Content-Length", std::to_string(parts.body.size()));
  }
  add("Connection", "close");
  out.append("\r\n").append(parts.body);
  return out;
}

std::string BasicAuthorization(std::string_view user, std::string_view password) {
  return "Basic " + EncodeBase64(std::string(user) + ':' + std::string(password));
}

}  // namespace vms::internal
