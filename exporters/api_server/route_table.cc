#include "api_server/route_table.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <tuple>

namespace vms::api_server {
namespace {

std::string_view TrimSlash(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return path;
}

// The next segment of `path` (which starts after a '/'), advancing it.
std::string_view NextSegment(std::string_view& path) {
  const std::size_t slash = path.find('/');
  std::string_view segment = path.substr(0, slash);
  path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
  return segment;
}

}  // namespace

Result<RouteTable> RouteTable::Make(const std::vector<std::string>& templates) {
  if (templates.size() > kMaxRoutes) {
    return Status::Error("more than " + std::to_string(kMaxRoutes) + " routes");
  }
  RouteTable table;
  for (const std::string& text : templates) {
    if (text.empty() || text[0] != '/') {
      return Status::Error("route \"" + text + "\" does not start with \"/\"");
    }
    if (text == kOtherEndpoint) return Status::Error("route \"other\" is reserved");
    Route route;
    route.text = text;
    std::string_view rest = TrimSlash(text).substr(1);
    bool seen_param = false;
    while (!rest.empty()) {
      std::string_view s = NextSegment(rest);
      if (s.empty()) return Status::Error("route \"" + text + "\" has an empty segment");
      Segment seg;
      if (s == "*") {
        if (!rest.empty()) return Status::Error("route \"" + text + "\": \"*\" must be last");
        seg.rest = true;
      } else if (s[0] == ':' || (s.front() == '{' && s.back() == '}')) {
        if (s.size() < 2 || s == "{}") {
          return Status::Error("route \"" + text + "\" has a parameter without a name");
        }
        seg.param = true;
      } else {
        seg.literal = std::string(s);
        ++route.literals;
        if (!seen_param) ++route.leading_literals;
      }
      if (seg.param || seg.rest) seen_param = true;
      route.segments.push_back(std::move(seg));
    }
    if (table.Has(text)) return Status::Error("route \"" + text + "\" is listed twice");
    table.routes_.push_back(std::move(route));
  }
  std::stable_sort(table.routes_.begin(), table.routes_.end(), [](const Route& a, const Route& b) {
    return std::tie(a.leading_literals, a.literals) > std::tie(b.leading_literals, b.literals);
  });
  return table;
}

bool RouteTable::Has(std::string_view route) const {
  return std::any_of(routes_.begin(), routes_.end(),
                     [&](const Route& r) { return r.text == route; });
}

bool RouteTable::Matches(const Route& route, std::string_view path) {
  for (const Segment& seg : route.segments) {
    if (path.empty()) return false;
    if (seg.rest) return true;
    const std::string_view s = NextSegment(path);
    if (s.empty()) return false;
    if (!seg.param && s != seg.literal) return false;
  }
  return path.empty();
}

std::string_view RouteTable::Match(std::string_view path) const {
  path = TrimSlash(path);
  if (path.empty() || path[0] != '/') return kOtherEndpoint;
  path.remove_prefix(1);
  for (const Route& route : routes_) {
    if (Matches(route, path)) return route.text;
  }
  return kOtherEndpoint;
}

Result<std::vector<std::string>> OpenApiRoutes(const std::string& text, const std::string& file,
                                               std::string base_path) {
  YAML::Node doc;
  try {
    doc = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Status::Error(file + ": not YAML or JSON (line " + std::to_string(e.mark.line + 1) +
                         ")");
  }
  if (!doc.IsMap() || !(doc["openapi"] || doc["swagger"])) {
    return Status::Error(file + ": not an OpenAPI document (no openapi or swagger key)");
  }
  const YAML::Node paths = doc["paths"];
  if (!paths || !paths.IsMap()) return Status::Error(file + ": has no paths mapping");
  if (base_path.empty() && doc["basePath"] && doc["basePath"].IsScalar()) {
    base_path = doc["basePath"].Scalar();
  }
  while (!base_path.empty() && base_path.back() == '/') base_path.pop_back();
  std::vector<std::string> routes;
  for (const auto& entry : paths) {
    if (!entry.first.IsScalar()) return Status::Error(file + ": a key of paths is not a string");
    const std::string& path = entry.first.Scalar();
    if (path.empty() || path[0] != '/') {
      return Status::Error(file + ": path \"" + path + "\" does not start with \"/\"");
    }
    routes.push_back(base_path + path);
  }
  return routes;
}

}  // namespace vms::api_server
