// One JSON object a line: the keys of deploy/nginx/vms-log-format.conf's
// `vms_json`, or the names other common nginx JSON formats use for the same
// values (the first key of each list below that is present wins). Values
// may be JSON numbers or strings holding numbers, as hand-written nginx
// formats quote them or not.
#include <initializer_list>
#include <string>

#include "access_fields.h"
#include "vms/accesslog/access_line_parser.h"
#include "vms/base/text.h"
#include "vms/json/json_parser.h"

namespace vms::accesslog_internal {
namespace {

using Keys = std::initializer_list<std::string_view>;

const Keys kTimeNumber = {"msec", "time", "timestamp", "ts"};
const Keys kTimeIso = {"time_iso8601", "@timestamp", "time"};
const Keys kTimeLocal = {"time_local"};
const Keys kRemoteAddr = {"remote_addr", "remote_ip", "client_ip", "clientip"};
const Keys kMethod = {"request_method", "method"};
const Keys kTarget = {"request_uri", "uri", "path"};
const Keys kQuery = {"args", "query_string", "query"};
const Keys kRequest = {"request"};
const Keys kProtocol = {"server_protocol", "protocol"};
const Keys kStatus = {"status", "status_code"};
const Keys kBytesSent = {"bytes_sent"};
const Keys kBodyBytesSent = {"body_bytes_sent", "bytes"};
const Keys kRequestTime = {"request_time", "duration"};
const Keys kUpstreamTime = {"upstream_response_time"};
const Keys kServerPort = {"server_port"};
const Keys kUserAgent = {"http_user_agent", "user_agent", "agent"};
const Keys kSession = {"session_id", "session"};
const Keys kAuthScheme = {"auth_scheme"};
const Keys kWwwAuthenticate = {"www_authenticate", "sent_http_www_authenticate"};
const Keys kUpgrade = {"upgrade", "http_upgrade"};

// The first of `keys` present, as text: a string's value or a number as
// written. nullopt when none is present (or it is null); false in `ok` when
// one is present with another type.
std::optional<std::string_view> Text(const JsonValue& doc, Keys keys, bool& ok) {
  for (std::string_view key : keys) {
    const JsonValue* v = doc.Find(key);
    if (v == nullptr || v->is_null()) continue;
    if (auto s = v->AsString()) return s;
    if (v->is_number()) return v->NumberText();
    ok = false;
    return std::nullopt;
  }
  return std::nullopt;
}

Status KeyError(Keys keys, std::string_view what) {
  return Status::Error("json line: " + std::string(*keys.begin()) + " " + std::string(what));
}

bool ParseTime(const JsonValue& doc, double& out, bool& ok) {
  for (std::string_view key : kTimeNumber) {
    const JsonValue* v = doc.Find(key);
    if (v == nullptr) continue;
    const std::optional<std::string_view> text =
        v->is_number() ? std::optional(v->NumberText()) : v->AsString();
    if (text && ParseNumber(*text, out) && out >= 0) return true;
  }
  bool type_ok = true;
  if (auto iso = Text(doc, kTimeIso, type_ok); iso && ParseTimeIso8601(*iso, out)) return true;
  if (auto local = Text(doc, kTimeLocal, type_ok); local && ParseTimeLocal(*local, out))
    return true;
  ok = false;
  return false;
}

}  // namespace

Status ParseJsonLine(std::string_view line, AccessRecord& out) {
  JsonLimits limits;
  limits.max_bytes = kMaxAccessLineBytes;
  limits.max_depth = 8;
  limits.max_values = 1024;
  limits.validate_utf8 = false;  // nginx passes a client's bytes >= 0x80 through
  auto parsed = ParseJson(line, limits);
  if (!parsed) return Status::Error("json line: " + parsed.error());
  const JsonValue& doc = *parsed;
  if (!doc.is_object()) return Status::Error("json line: not an object");

  bool ok = true;
  if (!ParseTime(doc, out.time, ok))
    return Status::Error("json line: no time (msec, time_iso8601, ...)");
  const auto status = Text(doc, kStatus, ok);
  if (!status || !ParseStatusCode(*status, out.status))
    return KeyError(kStatus, "is not a status code");

  const std::optional<std::string_view> request = Text(doc, kRequest, ok);
  const std::optional<std::string_view> target = Text(doc, kTarget, ok);
  if (target) {
    SetRequestTarget(*target, out);
    if (out.query.empty()) {
      if (auto query = Text(doc, kQuery, ok)) out.query.assign(*query);
    }
    out.method.assign(Text(doc, kMethod, ok).value_or(""));
    out.protocol.assign(Text(doc, kProtocol, ok).value_or(""));
  } else {
    SetRequestLine(request.value_or(""), out);
    if (auto method = Text(doc, kMethod, ok)) out.method.assign(*method);
    if (auto protocol = Text(doc, kProtocol, ok)) out.protocol.assign(*protocol);
  }

  out.bytes_sent.reset();
  if (auto bytes = Text(doc, kBytesSent, ok)) {
    std::uint64_t n = 0;
    if (!ParseNumber(*bytes, n)) return KeyError(kBytesSent, "is not a byte count");
    out.bytes_sent = n;
  }
  out.body_bytes_sent = 0;
  if (auto bytes = Text(doc, kBodyBytesSent, ok); bytes && *bytes != "-") {
    if (!ParseNumber(*bytes, out.body_bytes_sent)) {
      return KeyError(kBodyBytesSent, "is not a byte count");
    }
  }
  if (!ParseOptionalSeconds(Text(doc, kRequestTime, ok).value_or(""), out.request_time)) {
    return KeyError(kRequestTime, "is not seconds");
  }
  if (!ParseUpstreamTimes(Text(doc, kUpstreamTime, ok).value_or(""), out.upstream_response_time)) {
    return KeyError(kUpstreamTime, "is not a list of seconds");
  }
  if (!ParseOptionalPort(Text(doc, kServerPort, ok).value_or(""), out.server_port)) {
    return KeyError(kServerPort, "is not a port");
  }
  out.remote_addr.assign(Text(doc, kRemoteAddr, ok).value_or(""));
  out.user_agent.assign(Text(doc, kUserAgent, ok).value_or(""));
  if (out.user_agent == "-") out.user_agent.clear();
  SetOptional(Text(doc, kSession, ok).value_or(""), out.session_id);
  SetOptional(Text(doc, kAuthScheme, ok).value_or(""), out.auth_scheme);
  SetOptional(Text(doc, kWwwAuthenticate, ok).value_or(""), out.www_authenticate);
  const std::string_view upgrade = Text(doc, kUpgrade, ok).value_or("");
  out.upgrade = (!upgrade.empty() && upgrade != "-") || out.status == 101;
  if (!ok) return Status::Error("json line: a field is an array, object or boolean");
  return Status::Ok();
}

}  // namespace vms::accesslog_internal
