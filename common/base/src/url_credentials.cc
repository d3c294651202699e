#include "vms/base/url_credentials.h"

#include "vms/base/text.h"

namespace vms {
namespace {

// Where the authority of `url` starts (after "scheme://", or 0 without a
// scheme) and where its userinfo's '@' is (npos without one).
struct Userinfo {
  std::size_t start = 0;
  std::size_t at = std::string_view::npos;
};

Userinfo FindUserinfo(std::string_view url) {
  Userinfo u;
  const std::size_t scheme_end = url.find("://");
  u.start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  const std::size_t slash = url.find('/', u.start);
  const std::string_view authority = url.substr(
      u.start, slash == std::string_view::npos ? std::string_view::npos : slash - u.start);
  const std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) u.at = u.start + at;
  return u;
}

}  // namespace

std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = HexDigitValue(text[i + 1]);
      const int lo = HexDigitValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

UrlCredentials SplitUrlCredentials(std::string_view url) {
  UrlCredentials out;
  const Userinfo u = FindUserinfo(url);
  if (u.at == std::string_view::npos) {
    out.url = std::string(url);
    return out;
  }
  out.has_userinfo = true;
  const std::string_view userinfo = url.substr(u.start, u.at - u.start);
  const std::size_t colon = userinfo.find(':');
  out.user = PercentDecode(userinfo.substr(0, colon));
  if (colon != std::string_view::npos) out.password = PercentDecode(userinfo.substr(colon + 1));
  out.url = std::string(url.substr(0, u.start));
  out.url += url.substr(u.at + 1);
  return out;
}

std::string RedactUrl(std::string_view url) {
  const Userinfo u = FindUserinfo(url);
  if (u.at == std::string_view::npos) return std::string(url);
  const std::string_view userinfo = url.substr(u.start, u.at - u.start);
  std::string out(url.substr(0, u.start));
  out += userinfo.substr(0, userinfo.find(':'));
  out += ":***";
  out += url.substr(u.at);
  return out;
}

}  // namespace vms
