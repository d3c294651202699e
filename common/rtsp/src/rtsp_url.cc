#include "vms/rtsp/rtsp_url.h"

#include "vms/base/text.h"
#include "vms/base/url_authority.h"
#include "vms/base/url_credentials.h"

namespace vms {
namespace {

constexpr std::string_view kScheme = "rtsp://";

}  // namespace

std::string RtspUrl::RequestUri() const {
  std::string uri(kScheme);
  uri += UrlHost(host);
  if (explicit_port) uri += ':' + std::to_string(port);
  uri += path;
  return uri;
}

Result<RtspUrl> ParseRtspUrl(std::string_view url) {
  if (!StartsWithNoCase(url, kScheme)) return Status::Error("URL does not start with rtsp://");
  // Userinfo is split off and decoded by the one splitter every URL goes
  // through; the rest is authority and path.
  const UrlCredentials split = SplitUrlCredentials(url);
  RtspUrl out;
  out.has_credentials = split.has_userinfo;
  out.user = split.user;
  out.password = split.password;
  const std::string_view rest = std::string_view(split.url).substr(kScheme.size());
  const std::size_t slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  out.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));

  auto parsed = ParseUrlAuthority(authority);
  if (!parsed.ok()) return parsed.status();
  out.host = std::move(parsed->host);
  out.explicit_port = parsed->explicit_port;
  if (out.explicit_port) out.port = parsed->port;
  return out;
}

}  // namespace vms
