#include "vms/base/url_authority.h"

#include "vms/base/text.h"

namespace vms {

Result<UrlAuthority> ParseUrlAuthority(std::string_view authority) {
  UrlAuthority out;
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
    if (!ParseNumber(port_text, value) || value == 0 || value > 65535) {
      return Status::Error("URL has a bad port");
    }
    out.port = static_cast<std::uint16_t>(value);
  }
  return out;
}

std::string UrlHost(std::string_view host) {
  if (host.find(':') == std::string_view::npos) return std::string(host);
  std::string out;
  out.reserve(host.size() + 2);
  out.append("[").append(host).append("]");
  return out;
}

}  // namespace vms
