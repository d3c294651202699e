#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vms/base/status.h"
#include "vms/base/url_credentials.h"  // RedactUrl, for users of RtspUrl

namespace vms {

// An rtsp:// URL split into its parts. User and password are percent-decoded
// by SplitUrlCredentials (a password holding '@' or ':' is written %40, %3A).
struct RtspUrl {
  std::string user;
  std::string password;
  bool has_credentials = false;  // a userinfo part was present, even if empty
  std::string host;              // without the brackets of an IPv6 literal
  std::uint16_t port = 554;
  bool explicit_port = false;
  std::string path;  // "/..." including any query; "/" when absent

  // The URL as sent in requests and shown anywhere: never with credentials.
  std::string RequestUri() const;
};

// Parses rtsp://[userinfo@]host[:port][/path] (userinfo: user or user:password). The error never repeats
// the URL, which may hold a password.
Result<RtspUrl> ParseRtspUrl(std::string_view url);

}  // namespace vms
