#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vms/base/status.h"

namespace vms {

// An http:// or https:// URL split into what a request needs. User and
// password come from a userinfo part (percent-decoded by
// SplitUrlCredentials) and never appear in ToString() or an error.
struct HttpUrl {
  bool tls = false;    // https
  std::string host{};  // without the brackets of an IPv6 literal
  std::uint16_t port = 80;
  bool explicit_port = false;
  std::string target = "/";  // path and query, as sent in the request line
  std::string user{};
  std::string password{};
  bool has_credentials = false;

  // host, with ":port" when it is not the scheme's default.
  std::string HostHeader() const;
  // scheme://host[:port]target: never with credentials, safe to show.
  std::string ToString() const;
};

// Parses http(s)://[userinfo@]host[:port][/path][?query][#fragment]; the
// fragment is dropped. A target holding spaces or control characters is
// refused: it would split the request line. The error never repeats the URL.
Result<HttpUrl> ParseHttpUrl(std::string_view url);

// The URL a redirect's Location names, resolved against the URL that
// answered (ResolveUri). Credentials are never carried over; a scheme other
// than http(s) is an error.
Result<HttpUrl> ResolveLocation(const HttpUrl& base, std::string_view location);

}  // namespace vms
