#pragma once

#include <string>
#include <string_view>

namespace vms {

// A URL's userinfo (scheme://user:password@host/...) split off the URL. The
// userinfo ends at the last '@' before the path, so a raw '@' in a password
// still works; user and password are percent-decoded as FFmpeg decodes them
// (p%40ss is "p@ss"; a '%' not followed by two hex digits stays as it is),
// because a recorder's URL is what it sends the camera.
struct UrlCredentials {
  std::string url;  // the URL without userinfo: safe to show
  std::string user;
  std::string password;
  bool has_userinfo = false;  // an '@' was present, even with nothing before it
};
UrlCredentials SplitUrlCredentials(std::string_view url);

// %XX escapes decoded; any other '%' kept.
std::string PercentDecode(std::string_view text);

// scheme://user:***@host/path: the password is replaced on the raw text, so a
// URL that does not parse is redacted all the same and is always safe to
// log, label or show.
std::string RedactUrl(std::string_view url);

}  // namespace vms
