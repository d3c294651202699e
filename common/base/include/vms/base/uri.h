#pragma once

#include <string>
#include <string_view>

namespace vms {

// Resolves a URI reference against the location it was found at: an HLS
// segment's, variant's or part's URI against its playlist's (RFC 8216 4.1),
// a redirect's Location against the request's URL (RFC 9110 10.2.2); RFC
// 3986 5.2 says how. `base` is an absolute URL
// (http://host/live/index.m3u8) or, for a playlist read from disk, a file
// path (/var/www/hls/lobby/index.m3u8). The result is
//   - `reference` itself when it has a scheme (http://..., https://...);
//   - for a URL base: the RFC 3986 merge, with "." and ".." segments removed,
//     a network-path (//host/x) or absolute-path (/x) reference keeping the
//     base's scheme (and authority), and a query-only reference the base's path;
//   - for a file base: `reference` when it is an absolute path, otherwise the
//     base's directory joined with it, "." and ".." removed (never above "/").
// Pure string work: nothing is fetched or checked on disk.
std::string ResolveUri(std::string_view base, std::string_view reference);

// True when `uri` starts with an RFC 3986 scheme ("http:", "https:", ...).
bool HasScheme(std::string_view uri);

}  // namespace vms
