#include "vms/httpclient/http_url.h"

#include "vms/base/text.h"
#include "vms/base/uri.h"
#include "vms/base/url_authority.h"
#include "vms/base/url_credentials.h"

namespace vms {
namespace {

constexpr std::string_view kHttp = "http://";
constexpr std::string_view kHttps = "https://";

bool SafeTarget(std::string_view target) {
  for (const char c : target) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return false;
  }
  return true;
}

std::string WithoutFragment(std::string_view target) {
  return std::string(target.substr(0, target.find('#')));
}

}  // namespace

std::string HttpUrl::HostHeader() const {
  std::string out = UrlHost(host);
  if (port != (tls ? 443 : 80)) out += ':' + std::to_string(port);
  return out;
}

std::string HttpUrl::ToString() const {
  return std::string(tls ? kHttps : kHttp) + HostHeader() + target;
}

Result<HttpUrl> ParseHttpUrl(std::string_view url) {
  HttpUrl out;
  std::size_t scheme_size = 0;
  if (StartsWithNoCase(url, kHttps)) {
    out.tls = true;
    out.port = 443;
    scheme_size = kHttps.size();
  } else if (StartsWithNoCase(url, kHttp)) {
    scheme_size = kHttp.size();
  } else {
    return Status::Error("URL does not start with http:// or https://");
  }
  const UrlCredentials split = SplitUrlCredentials(url);
  out.has_credentials = split.has_userinfo;
  out.user = split.user;
  out.password = split.password;
  const std::string_view rest = std::string_view(split.url).substr(scheme_size);
  const std::size_t end = rest.find_first_of("/?#");
  auto authority = ParseUrlAuthority(rest.substr(0, end));
  if (!authority.ok()) return authority.status();
  out.host = std::move(authority->host);
  out.explicit_port = authority->explicit_port;
  if (out.explicit_port) out.port = authority->port;
  if (end != std::string_view::npos) {
    out.target = WithoutFragment(rest.substr(end));
    // "http://host?q" asks for "/?q".
    if (out.target.empty() || out.target.front() != '/') out.target = '/' + out.target;
  }
  if (!SafeTarget(out.target)) return Status::Error("URL has spaces or control characters");
  return out;
}

Result<HttpUrl> ResolveLocation(const HttpUrl& base, std::string_view location) {
  location = Trim(location);
  if (location.empty()) return Status::Error("redirect without a Location");
  // The base is written without credentials, so a relative reference never
  // carries them, and an absolute one's own are dropped below.
  auto url = ParseHttpUrl(ResolveUri(base.ToString(), location));
  if (!url.ok()) return Status::Error("redirect Location: " + url.error());
  url->user.clear();
  url->password.clear();
  url->has_credentials = false;
  return url;
}

}  // namespace vms
