#pragma once

#include <array>
#include <string>
#include <string_view>

namespace vms::pg {

// Why a database operation failed: the `reason` label of
// database_query_errors_total, so a fixed, small set.
enum class PgErrorReason {
  kConnect,         // no session: refused, unreachable, no such database, too many clients
  kAuth,            // the server refused the credentials (SQLSTATE class 28)
  kTimeout,         // statement_timeout fired on the server, or the client deadline passed
  kQuery,           // the server rejected or failed the statement
  kConnectionLost,  // the session broke while a statement was in flight
};
inline constexpr std::array kAllPgErrorReasons = {PgErrorReason::kConnect, PgErrorReason::kAuth,
                                                  PgErrorReason::kTimeout, PgErrorReason::kQuery,
                                                  PgErrorReason::kConnectionLost};
std::string_view PgErrorReasonName(PgErrorReason reason);

struct PgError {
  PgErrorReason reason = PgErrorReason::kConnect;
  std::string sqlstate;  // five characters from the server, "" when it sent none
  std::string message;   // sanitized (SanitizePgMessage): safe to log and show
};

// A connection attempt failed. `sqlstate` is what the server sent (from
// ExtractSqlState), `password_needed` libpq's PQconnectionNeedsPassword().
PgErrorReason ClassifyConnectFailure(std::string_view sqlstate, bool password_needed);

// A statement failed on an established connection. `connection_broken` when
// libpq reports the connection bad after the failure.
PgErrorReason ClassifyQueryFailure(std::string_view sqlstate, bool connection_broken);

// The SQLSTATE of the last server error in a libpq message built with
// PQERRORS_VERBOSE ("...failed: FATAL:  28P01: password authentication
// failed..."), or "" when the message holds none (refused, unreachable).
// libpq has no other way to hand out the SQLSTATE of a failed connection.
std::string ExtractSqlState(std::string_view message);

// A libpq or server message made safe for a log line, a label-free error and
// the landing page: every occurrence of `password` replaced by ***, libpq's
// LOCATION lines dropped, lines joined with "; ", control characters
// replaced, at most 400 bytes.
std::string SanitizePgMessage(std::string_view message, std::string_view password);

// A libpq message about a connection string, which can quote pieces of that
// string (a password among them): every "quoted" span becomes "...".
std::string RedactQuoted(std::string_view message);

}  // namespace vms::pg
