#include "vms/rtsp/rtsp_url.h"

#include <cctype>
#include <charconv>

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

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool PercentDecode(std::string_view in, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int hi = HexValue(in[i + 1]);
    const int lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
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
  std::string_view rest = url.substr(kScheme.size());
  RtspUrl out;

  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  out.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));

  // The last '@' ends the userinfo: some configs carry a raw '@' in passwords.
  const std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    out.has_credentials = true;
    const std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const std::size_t colon = userinfo.find(':');
    if (!PercentDecode(userinfo.substr(0, colon), out.user)) {
      return Status::Error("URL has a bad percent escape in its user name");
    }
    if (colon != std::string_view::npos &&
        !PercentDecode(userinfo.substr(colon + 1), out.password)) {
      return Status::Error("URL has a bad percent escape in its password");
    }
  }

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

std::string RedactUrl(std::string_view url) {
  // Works on the raw text, not on ParseRtspUrl, so that a URL which does not
  // parse is redacted all the same.
  const std::size_t scheme_end = url.find("://");
  const std::size_t start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  const std::size_t slash = url.find('/', start);
  const std::string_view authority =
      url.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
  const std::size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  const std::string_view userinfo = authority.substr(0, at);
  const std::string_view user = userinfo.substr(0, userinfo.find(':'));
  std::string out(url.substr(0, start));
  out += user;
  out += ":***";
  out += url.substr(start + at);
  return out;
}

}  // namespace vms
