// The `vms` format of deploy/nginx/vms-log-format.conf: "vms1", 16 fields
// and "end", separated by tabs, each escaped as escape=json escapes (so no
// field holds a raw tab). Fields between the 16th and "end" are ignored, so
// a newer nginx snippet does not break an older exporter; a line without its
// "end" was cut short.
#include <array>
#include <string>

#include "access_fields.h"
#include "vms/base/text.h"
#include "vms/json/json_string.h"

namespace vms::accesslog_internal {
namespace {

enum Field {
  kVersion,
  kMsec,
  kRemoteAddr,
  kMethod,
  kRequestUri,
  kProtocol,
  kStatus,
  kBytesSent,
  kBodyBytesSent,
  kRequestTime,
  kUpstreamTime,
  kServerPort,
  kSession,
  kAuthScheme,
  kWwwAuthenticate,
  kUpgrade,
  kUserAgent,
  kFieldCount
};

constexpr std::array<std::string_view, kFieldCount> kNames = {"version",
                                                              "msec",
                                                              "remote_addr",
                                                              "request_method",
                                                              "request_uri",
                                                              "server_protocol",
                                                              "status",
                                                              "bytes_sent",
                                                              "body_bytes_sent",
                                                              "request_time",
                                                              "upstream_response_time",
                                                              "server_port",
                                                              "session_id",
                                                              "auth_scheme",
                                                              "www_authenticate",
                                                              "upgrade",
                                                              "user_agent"};

Status FieldError(Field f, std::string_view what) {
  return Status::Error("vms line: field " + std::to_string(f + 1) + " (" + std::string(kNames[f]) +
                       ") " + std::string(what));
}

// A field's text unescaped into `out` (copied as is when it has no escape).
bool Unescape(std::string_view field, std::string& out) {
  out.clear();
  if (field.find_first_of("\\\"") == std::string_view::npos) {
    out.assign(field);
    return true;
  }
  return AppendJsonUnescaped(field, out, /*validate_utf8=*/false);
}

}  // namespace

Status ParseVmsLine(std::string_view line, AccessRecord& out) {
  const std::size_t last_tab = line.rfind('\t');
  if (last_tab == std::string_view::npos || line.substr(last_tab + 1) != "end") {
    return Status::Error("vms line: does not end with \"end\" (cut short?)");
  }
  line = line.substr(0, last_tab);
  std::array<std::string_view, kFieldCount> f;
  std::size_t n = 0;
  while (n < kFieldCount) {
    const std::size_t tab = line.find('\t');
    f[n++] = line.substr(0, tab);
    if (tab == std::string_view::npos) break;
    line.remove_prefix(tab + 1);
  }
  if (f[kVersion] != "vms1") return Status::Error("vms line: does not start with \"vms1\"");
  if (n < kFieldCount) {
    return Status::Error("vms line: " + std::to_string(n) + " fields, expected " +
                         std::to_string(kFieldCount));
  }
  if (!ParseNumber(f[kMsec], out.time) || !(out.time >= 0))
    return FieldError(kMsec, "is not a time");
  if (!ParseStatusCode(f[kStatus], out.status)) return FieldError(kStatus, "is not a status code");
  std::uint64_t bytes = 0;
  if (!ParseNumber(f[kBytesSent], bytes)) return FieldError(kBytesSent, "is not a byte count");
  out.bytes_sent = bytes;
  if (!ParseNumber(f[kBodyBytesSent], out.body_bytes_sent)) {
    return FieldError(kBodyBytesSent, "is not a byte count");
  }
  if (!ParseOptionalSeconds(f[kRequestTime], out.request_time)) {
    return FieldError(kRequestTime, "is not seconds");
  }
  if (!ParseUpstreamTimes(f[kUpstreamTime], out.upstream_response_time)) {
    return FieldError(kUpstreamTime, "is not a list of seconds");
  }
  if (!ParseOptionalPort(f[kServerPort], out.server_port)) {
    return FieldError(kServerPort, "is not a port");
  }

  std::string text;
  const auto string_field = [&](Field field, std::string& into) {
    if (!Unescape(f[field], text)) return false;
    into.swap(text);
    return true;
  };
  const auto optional_field = [&](Field field, std::optional<std::string>& into) {
    if (!Unescape(f[field], text)) return false;
    SetOptional(text, into);
    return true;
  };
  if (!string_field(kRemoteAddr, out.remote_addr))
    return FieldError(kRemoteAddr, "has a bad escape");
  if (!string_field(kMethod, out.method)) return FieldError(kMethod, "has a bad escape");
  if (!string_field(kProtocol, out.protocol)) return FieldError(kProtocol, "has a bad escape");
  if (!string_field(kUserAgent, out.user_agent)) return FieldError(kUserAgent, "has a bad escape");
  if (!Unescape(f[kRequestUri], text)) return FieldError(kRequestUri, "has a bad escape");
  SetRequestTarget(text, out);
  if (!optional_field(kSession, out.session_id)) return FieldError(kSession, "has a bad escape");
  if (!optional_field(kAuthScheme, out.auth_scheme)) {
    return FieldError(kAuthScheme, "has a bad escape");
  }
  if (!optional_field(kWwwAuthenticate, out.www_authenticate)) {
    return FieldError(kWwwAuthenticate, "has a bad escape");
  }
  out.upgrade = !f[kUpgrade].empty() || out.status == 101;
  return Status::Ok();
}

}  // namespace vms::accesslog_internal
