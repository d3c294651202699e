#pragma once

#include <cstddef>
#include <string_view>

#include "vms/accesslog/access_record.h"
#include "vms/base/status.h"

namespace vms {

// Longer lines are refused unread: no request line of a sane client comes
// near it, and the tailer caps lines well below (max_line_bytes).
inline constexpr std::size_t kMaxAccessLineBytes = 1 << 20;

// Parses one access log line (without its '\n'; a trailing '\r' is
// ignored). Pure: no I/O, no locale, bounded work and memory. Garbage,
// truncated and over-long lines are errors; the error names the field, never
// its value (values hold client data: session ids, tokens in a query).
Result<AccessRecord> ParseAccessLine(AccessLogFormat format, std::string_view line);

// The same into an existing record, reusing its strings' storage: the reader
// parses a batch into one vector of records kept from batch to batch. On
// error `out` holds part of the line.
Status ParseAccessLineInto(AccessLogFormat format, std::string_view line, AccessRecord& out);

}  // namespace vms
