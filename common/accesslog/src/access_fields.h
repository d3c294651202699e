#pragma once

// Field readers the line formats share. Each takes a field's text as the
// format holds it (already unescaped) and is false when it is malformed.

#include <optional>
#include <string_view>

#include "vms/accesslog/access_record.h"
#include "vms/base/status.h"

namespace vms::accesslog_internal {

bool ParseStatusCode(std::string_view s, int& out);
// Seconds such as $request_time: "" and "-" are nullopt; anything else must
// be a non-negative number.
bool ParseOptionalSeconds(std::string_view s, std::optional<double>& out);
// $upstream_response_time: "0.002", "0.000, 0.010" (retries) or
// "0.001 : 0.004" (internal redirects); "-" parts (no answer) count as 0.
bool ParseUpstreamTimes(std::string_view s, std::optional<double>& out);
bool ParseOptionalPort(std::string_view s, std::optional<std::uint16_t>& out);
// $time_local: "03/Dec/2026:13:40:41 +0000".
bool ParseTimeLocal(std::string_view s, double& out);
// $time_iso8601: "2026-12-03T13:40:41+00:00", also with a fraction or "Z".
bool ParseTimeIso8601(std::string_view s, double& out);
// $request_uri into path and query (absolute form reduced to its path).
void SetRequestTarget(std::string_view target, AccessRecord& out);
// A request line "GET /p?q HTTP/1.1" into method, path, query, protocol.
// One nginx could not parse (TLS bytes, "GARBAGE") leaves them empty.
void SetRequestLine(std::string_view request, AccessRecord& out);
// Empty → nullopt.
void SetOptional(std::string_view s, std::optional<std::string>& out);

Status ParseVmsLine(std::string_view line, AccessRecord& out);
Status ParseCombinedLine(std::string_view line, AccessRecord& out);
Status ParseJsonLine(std::string_view line, AccessRecord& out);

}  // namespace vms::accesslog_internal
