#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "vms/base/status.h"

namespace vms::api_server {

// The endpoint of a request that matches no route.
inline constexpr std::string_view kOtherEndpoint = "other";
// Routes of one access log: the endpoint label's values, so they are capped.
inline constexpr std::size_t kMaxRoutes = 512;

// Route templates, as the API declares them: "/api/cameras/:id" (or OpenAPI's
// "/api/cameras/{id}", kept as written), where a ":name" or "{name}" segment
// matches any one non-empty path segment and "*" as the last segment matches
// the rest of the path (one segment or more). A path matches the template with
// the most literal segments before its first parameter, then the most literal
// segments overall, then the first listed: "/api/cameras/new" beats
// "/api/cameras/:id". A trailing "/" is ignored on both sides; paths are
// compared as logged (not percent-decoded: "%2F" is not a separator).
class RouteTable {
 public:
  // Each template must start with "/"; an error names the first bad one.
  static Result<RouteTable> Make(const std::vector<std::string>& templates);

  // The template `path` matches, or kOtherEndpoint. No allocation.
  std::string_view Match(std::string_view path) const;

  bool empty() const { return routes_.empty(); }
  std::size_t size() const { return routes_.size(); }
  // True if `route` is one of the templates, exactly as written.
  bool Has(std::string_view route) const;

 private:
  struct Segment {
    std::string literal;  // empty for a parameter
    bool param = false;
    bool rest = false;  // "*": the rest of the path
  };
  struct Route {
    std::string text;
    std::vector<Segment> segments;
    std::size_t leading_literals = 0;  // literal segments before the first parameter
    std::size_t literals = 0;
  };
  static bool Matches(const Route& route, std::string_view path);

  std::vector<Route> routes_;  // most specific first
};

// The path templates of an OpenAPI (3.x) or Swagger (2.0) document, YAML or
// JSON: the keys of `paths`, each prefixed with `base_path` (Swagger's
// basePath when `base_path` is empty). The error says what is wrong with the
// document, never quoting it beyond a key.
Result<std::vector<std::string>> OpenApiRoutes(const std::string& text, const std::string& file,
                                               std::string base_path = "");

}  // namespace vms::api_server
