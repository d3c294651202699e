#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vms {

// The line formats an access log can be read in.
enum class AccessLogFormat {
  kVms,       // deploy/nginx/vms-log-format.conf `vms`: tab-separated, escape=json
  kCombined,  // nginx's and Apache's `combined` (and `common`, without its last two fields)
  kJson,      // one JSON object a line: `vms_json`'s keys, or common aliases of them
};

// "vms", "combined", "json" → the format; nullopt otherwise.
std::optional<AccessLogFormat> ParseAccessLogFormat(std::string_view name);
std::string_view AccessLogFormatName(AccessLogFormat format);

// One request as an access log line tells it. Strings hold the values
// unescaped (a User-Agent's quotes are quotes again); none of them is fit for
// a label as it stands (client addresses, session ids, raw paths): roles map
// them onto bounded sets (camera ids, route templates) first.
struct AccessRecord {
  double time = 0;  // when the request ended, Unix seconds
  std::string method;
  // The request target up to '?', as the client sent it: not percent-decoded
  // or normalised ("/a/..%2Fb" stays so), since routing on a decoded path
  // would let "%2F" forge a path separator. An absolute-form target
  // ("http://host/p") is reduced to its path, as nginx's $request_uri is.
  // Empty for a request nginx could not parse (then method is empty too).
  std::string path;
  std::string query;     // after '?', raw; empty when none
  std::string protocol;  // "HTTP/1.1", "HTTP/2.0"; empty when unknown
  int status = 0;
  // All bytes sent, headers included; unknown in combined, which has only
  // the body's.
  std::optional<std::uint64_t> bytes_sent;
  std::uint64_t body_bytes_sent = 0;
  std::optional<double> request_time;  // seconds
  // Seconds waiting on upstreams: the sum when nginx tried several ("0.002,
  // 0.010"); nullopt when no upstream took part.
  std::optional<double> upstream_response_time;
  std::string user_agent;
  std::string remote_addr;
  std::optional<std::string> session_id;
  std::optional<std::uint16_t> server_port;
  std::optional<std::string> www_authenticate;  // the challenge sent back
  std::optional<std::string> auth_scheme;       // "Bearer", "Basic", "Digest", "other"
  // The client asked to switch protocols (Upgrade: websocket), or the server
  // did (101). nginx logs a websocket when it closes, so request_time is then
  // the connection's life.
  bool upgrade = false;
};

}  // namespace vms
