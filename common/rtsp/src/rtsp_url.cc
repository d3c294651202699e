#include "vms/rtsp/rtsp_url.h"

#include <cctype>
#include <charconv>

#include "vms/base/url_credentials.h"

namespace vms {
namespace {

constexpr std::string_view kScheme = "rtsp://";

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

}  // namespace

std::string RtspUrl::RequestUri() const {
  std::string uri(kScheme);
  if (host.find(':') != std::string::npos) {
    uri += '[' + host + ']';
  } else {
    uri += host;
  }
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

  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return Status::Error("URL has an unclosed IPv6 literal");
    out.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Status::Error("URL has junk after its IPv6 literal");
      port_text = after.substr(1);
      out.explicit_port = true;
    }
  } else {
    const std::size_t colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      out.explicit_port = true;
    }
  }
  if (out.host.empty()) return Status::Error("URL has no host");
  if (out.explicit_port) {
    unsigned value = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || value == 0 ||
        value > 65535) {
      return Status::Error("URL has a bad port");
    }
    out.port = static_cast<std::uint16_t>(value);
  }
  return out;
}

}  // namespace vms
