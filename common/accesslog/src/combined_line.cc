// nginx's and Apache's `combined`:
//   $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent
//   "$http_referer" "$http_user_agent"
// Inside quotes nginx writes '"', '\' and unprintable bytes as \xHH, Apache
// as \" and \\ (and \xHH for the unprintable); both are read. A `common` line
// (no referer and agent) and fields appended after the agent (a common local
// extension) are accepted.
#include <string>

#include "access_fields.h"
#include "vms/base/text.h"

namespace vms::accesslog_internal {
namespace {

// Reads a quoted field at the front of `s` (which starts with '"') into
// `out`, unescaped, and moves `s` past its closing quote.
bool TakeQuoted(std::string_view& s, std::string& out) {
  out.clear();
  if (s.empty() || s[0] != '"') return false;
  std::size_t i = 1;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '"') {
      s.remove_prefix(i + 1);
      return true;
    }
    if (c == '\\' && i + 1 < s.size()) {
      const char e = s[i + 1];
      if (e == '"' || e == '\\') {
        out.push_back(e);
        i += 2;
        continue;
      }
      if (e == 'x' && i + 3 < s.size() && HexDigitValue(s[i + 2]) >= 0 &&
          HexDigitValue(s[i + 3]) >= 0) {
        out.push_back(static_cast<char>(HexDigitValue(s[i + 2]) * 16 + HexDigitValue(s[i + 3])));
        i += 4;
        continue;
      }
    }
    out.push_back(c);
    ++i;
  }
  return false;  // no closing quote: a truncated line
}

std::string_view TakeToken(std::string_view& s) {
  const std::size_t sp = s.find(' ');
  const std::string_view token = s.substr(0, sp);
  s = sp == std::string_view::npos ? std::string_view() : s.substr(sp + 1);
  return token;
}

bool TakeSpace(std::string_view& s) {
  if (s.empty() || s[0] != ' ') return false;
  s.remove_prefix(1);
  return true;
}

}  // namespace

Status ParseCombinedLine(std::string_view line, AccessRecord& out) {
  std::string_view s = line;
  out.remote_addr.assign(TakeToken(s));
  if (out.remote_addr.empty()) return Status::Error("combined line: no remote address");
  // The ident and user fields come before the first " [": a user name is
  // not escaped by nginx and may hold spaces, so it is skipped, not split.
  const std::size_t open = s.find('[');
  if (open == std::string_view::npos || s.size() < open + 28 || s[open + 27] != ']') {
    return Status::Error("combined line: no [time_local]");
  }
  if (!ParseTimeLocal(s.substr(open + 1, 26), out.time)) {
    return Status::Error("combined line: time_local is not a time");
  }
  s.remove_prefix(open + 28);
  std::string request;
  if (!TakeSpace(s) || !TakeQuoted(s, request))
    return Status::Error("combined line: no \"request\"");
  SetRequestLine(request, out);
  if (!TakeSpace(s) || !ParseStatusCode(TakeToken(s), out.status)) {
    return Status::Error("combined line: no status code");
  }
  const std::string_view bytes = TakeToken(s);
  if (bytes == "-") {  // Apache's %b for an empty body
    out.body_bytes_sent = 0;
  } else if (!ParseNumber(bytes, out.body_bytes_sent)) {
    return Status::Error("combined line: body_bytes_sent is not a byte count");
  }
  out.user_agent.clear();
  if (!s.empty()) {
    std::string referer;
    if (!TakeQuoted(s, referer)) return Status::Error("combined line: bad \"referer\"");
    if (!TakeSpace(s) || !TakeQuoted(s, out.user_agent)) {
      return Status::Error("combined line: no \"user_agent\"");
    }
    if (out.user_agent == "-") out.user_agent.clear();
  }
  out.bytes_sent.reset();
  out.request_time.reset();
  out.upstream_response_time.reset();
  out.session_id.reset();
  out.server_port.reset();
  out.www_authenticate.reset();
  out.auth_scheme.reset();
  out.upgrade = out.status == 101;
  return Status::Ok();
}

}  // namespace vms::accesslog_internal
