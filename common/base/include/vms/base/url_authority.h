#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vms/base/status.h"

namespace vms {

// The host[:port] part of a URL, after any userinfo (SplitUrlCredentials
// takes that off). The host is a name, an IPv4 address or a bracketed IPv6
// literal. Every URL parser (rtsp://, http(s)://) goes through this one.
struct UrlAuthority {
  std::string host;  // without the brackets of an IPv6 literal
  std::uint16_t port = 0;
  bool explicit_port = false;  // port is 0 unless given
};

// The error never repeats the text, which may come from a URL holding a
// password.
Result<UrlAuthority> ParseUrlAuthority(std::string_view authority);

// The host as written in a URL or a Host header: an IPv6 literal in brackets.
std::string UrlHost(std::string_view host);

}  // namespace vms
