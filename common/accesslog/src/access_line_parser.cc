#include "vms/accesslog/access_line_parser.h"

#include "access_fields.h"

namespace vms {

std::optional<AccessLogFormat> ParseAccessLogFormat(std::string_view name) {
  if (name == "vms") return AccessLogFormat::kVms;
  if (name == "combined") return AccessLogFormat::kCombined;
  if (name == "json") return AccessLogFormat::kJson;
  return std::nullopt;
}

std::string_view AccessLogFormatName(AccessLogFormat format) {
  switch (format) {
    case AccessLogFormat::kVms:
      return "vms";
    case AccessLogFormat::kCombined:
      return "combined";
    case AccessLogFormat::kJson:
      return "json";
  }
  return "unknown";
}

Status ParseAccessLineInto(AccessLogFormat format, std::string_view line, AccessRecord& out) {
  if (line.size() > kMaxAccessLineBytes) {
    return Status::Error("access log line of " + std::to_string(line.size()) +
                         " bytes is over the limit of " + std::to_string(kMaxAccessLineBytes));
  }
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) return Status::Error("empty access log line");
  switch (format) {
    case AccessLogFormat::kVms:
      return accesslog_internal::ParseVmsLine(line, out);
    case AccessLogFormat::kCombined:
      return accesslog_internal::ParseCombinedLine(line, out);
    case AccessLogFormat::kJson:
      return accesslog_internal::ParseJsonLine(line, out);
  }
  return Status::Error("unknown access log format");
}

Result<AccessRecord> ParseAccessLine(AccessLogFormat format, std::string_view line) {
  AccessRecord record;
  if (Status s = ParseAccessLineInto(format, line, record); !s.ok()) return s;
  return record;
}

}  // namespace vms
