#include "vms/base/uri.h"

#include <cctype>
#include <vector>

namespace vms {
namespace {

// RFC 3986 5.2.4, generalised to relative paths, whose leading ".." are
// kept (a file playlist's "../x.ts" seen from a relative directory).
std::string RemoveDotSegments(std::string_view path) {
  const bool absolute = !path.empty() && path.front() == '/';
  if (absolute) path.remove_prefix(1);
  std::vector<std::string_view> out;
  bool trailing_slash = false;
  while (true) {
    const std::size_t slash = path.find('/');
    const std::string_view segment = path.substr(0, slash);
    const bool last = slash == std::string_view::npos;
    if (segment == ".") {
      trailing_slash = last;
    } else if (segment == "..") {
      if (!out.empty() && out.back() != "..") {
        out.pop_back();
      } else if (!absolute) {
        out.push_back(segment);
      }
      trailing_slash = last;
    } else {
      out.push_back(segment);
      trailing_slash = false;
    }
    if (last) break;
    path.remove_prefix(slash + 1);
  }
  std::string result = absolute ? "/" : "";
  for (std::size_t k = 0; k < out.size(); ++k) {
    if (k > 0) result += '/';
    result += out[k];
  }
  if (trailing_slash && !out.empty()) result += '/';
  return result;
}

struct UriParts {
  std::string_view scheme;  // without ':'
  bool has_authority = false;
  std::string_view authority;
  std::string_view path;
  bool has_query = false;
  std::string_view query;
  bool has_fragment = false;
  std::string_view fragment;
};

// RFC 3986 appendix B's split, without a regex.
UriParts Split(std::string_view s, bool with_scheme) {
  UriParts p;
  if (with_scheme) {
    const std::size_t colon = s.find(':');
    p.scheme = s.substr(0, colon);
    s.remove_prefix(colon + 1);
  }
  if (const std::size_t hash = s.find('#'); hash != std::string_view::npos) {
    p.has_fragment = true;
    p.fragment = s.substr(hash + 1);
    s = s.substr(0, hash);
  }
  if (const std::size_t q = s.find('?'); q != std::string_view::npos) {
    p.has_query = true;
    p.query = s.substr(q + 1);
    s = s.substr(0, q);
  }
  if (s.substr(0, 2) == "//") {
    s.remove_prefix(2);
    const std::size_t slash = s.find('/');
    p.has_authority = true;
    p.authority = s.substr(0, slash);
    s = slash == std::string_view::npos ? std::string_view() : s.substr(slash);
  }
  p.path = s;
  return p;
}

std::string Join(std::string_view scheme, const UriParts& r, const std::string& path,
                 bool has_query, std::string_view query) {
  std::string out(scheme);
  out += ':';
  if (r.has_authority) {
    out += "//";
    out += r.authority;
  }
  out += path;
  if (has_query) {
    out += '?';
    out += query;
  }
  if (r.has_fragment) {
    out += '#';
    out += r.fragment;
  }
  return out;
}

std::string_view Directory(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash + 1);
}

}  // namespace

bool HasScheme(std::string_view uri) {
  if (uri.size() < 3 || !std::isalpha(static_cast<unsigned char>(uri[0]))) return false;
  for (std::size_t i = 1; i < uri.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(uri[i]);
    if (c == ':') return i >= 2;  // "C:" is a drive letter, not a scheme
    if (!std::isalnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}

std::string ResolveUri(std::string_view base, std::string_view reference) {
  if (HasScheme(reference)) return std::string(reference);
  if (!HasScheme(base)) {
    if (!reference.empty() && reference.front() == '/') return RemoveDotSegments(reference);
    std::string joined(Directory(base));
    joined += reference;
    return RemoveDotSegments(joined);
  }
  const UriParts b = Split(base, true);
  UriParts r = Split(reference, false);
  if (r.has_authority) return Join(b.scheme, r, RemoveDotSegments(r.path), r.has_query, r.query);
  r.has_authority = b.has_authority;
  r.authority = b.authority;
  if (r.path.empty()) {
    return Join(b.scheme, r, std::string(b.path), r.has_query || b.has_query,
                r.has_query ? r.query : b.query);
  }
  if (r.path.front() == '/')
    return Join(b.scheme, r, RemoveDotSegments(r.path), r.has_query, r.query);
  std::string merged = b.has_authority && b.path.empty() ? "/" : std::string(Directory(b.path));
  merged += r.path;
  return Join(b.scheme, r, RemoveDotSegments(merged), r.has_query, r.query);
}

}  // namespace vms
