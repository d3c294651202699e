#include "vms/pg/pg_error.h"

#include <cctype>

#include "vms/base/text.h"

namespace vms::pg {
namespace {

constexpr std::size_t kMaxMessage = 400;

bool IsSqlStateChar(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); }

bool IsClass(std::string_view sqlstate, std::string_view cls) {
  return sqlstate.size() == 5 && sqlstate.substr(0, 2) == cls;
}

}  // namespace

std::string_view PgErrorReasonName(PgErrorReason reason) {
  switch (reason) {
    case PgErrorReason::kConnect:
      return "connect";
    case PgErrorReason::kAuth:
      return "auth";
    case PgErrorReason::kTimeout:
      return "timeout";
    case PgErrorReason::kQuery:
      return "query";
    case PgErrorReason::kConnectionLost:
      return "connection_lost";
  }
  return "connect";
}

PgErrorReason ClassifyConnectFailure(std::string_view sqlstate, bool password_needed) {
  // 28000 invalid_authorization_specification (pg_hba.conf said no),
  // 28P01 invalid_password. Anything else that ends a startup (3D000 no such
  // database, 53300 too many clients, 57P03 starting up) is no session.
  if (IsClass(sqlstate, "28") || password_needed) return PgErrorReason::kAuth;
  return PgErrorReason::kConnect;
}

PgErrorReason ClassifyQueryFailure(std::string_view sqlstate, bool connection_broken) {
  // 57014 query_canceled: statement_timeout (or someone cancelled us).
  if (sqlstate == "57014") return PgErrorReason::kTimeout;
  // 57P01..57P03: the server is shutting down or restarting; class 08: the
  // connection itself failed.
  if (connection_broken || IsClass(sqlstate, "08") || sqlstate == "57P01" || sqlstate == "57P02" ||
      sqlstate == "57P03") {
    return PgErrorReason::kConnectionLost;
  }
  return PgErrorReason::kQuery;
}

std::string ExtractSqlState(std::string_view message) {
  // "SEVERITY:  XXXXX: text": two spaces after the severity, then the code.
  std::string found;
  for (std::size_t pos = message.find(":  "); pos != std::string_view::npos;
       pos = message.find(":  ", pos + 1)) {
    const std::string_view rest = message.substr(pos + 3);
    if (rest.size() < 7 || rest[5] != ':' || rest[6] != ' ') continue;
    bool code = true;
    for (std::size_t i = 0; i < 5; ++i) code = code && IsSqlStateChar(rest[i]);
    if (code) found.assign(rest.substr(0, 5));
  }
  return found;
}

std::string SanitizePgMessage(std::string_view message, std::string_view password) {
  std::string redacted;
  if (password.empty()) {
    redacted.assign(message);
  } else {
    for (std::size_t pos = 0;;) {
      const std::size_t hit = message.find(password, pos);
      redacted.append(message.substr(pos, hit == std::string_view::npos ? hit : hit - pos));
      if (hit == std::string_view::npos) break;
      redacted += "***";
      pos = hit + password.size();
    }
  }
  std::string out;
  std::string_view text = redacted;
  std::string_view line;
  while (NextLine(text, line)) {
    line = Trim(line);
    if (line.empty() || line.starts_with("LOCATION:")) continue;
    if (!out.empty()) out += "; ";
    for (char c : line) out.push_back(std::iscntrl(static_cast<unsigned char>(c)) ? ' ' : c);
  }
  if (out.size() > kMaxMessage) {
    out.resize(kMaxMessage - 3);
    out += "...";
  }
  return out;
}

std::string RedactQuoted(std::string_view message) {
  std::string out;
  bool quoted = false;
  for (char c : message) {
    if (c == '"') {
      out += quoted ? "...\"" : "\"";
      quoted = !quoted;
    } else if (!quoted) {
      out.push_back(c);
    }
  }
  if (quoted) out += "...";
  return out;
}

}  // namespace vms::pg
