#include "api_server/api_access_logs.h"

#include <algorithm>
#include <filesystem>

#include "vms/base/file.h"

namespace vms::api_server {
namespace {

std::string RelativeTo(const std::string& config_file, const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  return (std::filesystem::path(config_file).parent_path() / path).string();
}

// `key`'s templates, each of which must be one of `routes`.
std::vector<std::string> RoutesOf(MapReader& item, const std::string& key,
                                  const RouteTable& routes) {
  std::vector<std::string> list = item.StringList(key);
  for (const std::string& r : list) {
    if (!routes.Has(r)) item.Fail(key, "\"" + r + "\" is not one of routes");
  }
  return list;
}

}  // namespace

std::vector<ApiAccessLog> ParseApiAccessLogs(MapReader& root) {
  std::vector<ApiAccessLog> own;
  const std::vector<AccessLogSourceConfig> sources = ParseAccessLogSources(
      root, "access_logs", kDefaultStateDir, [&](MapReader& item, std::size_t) {
        ApiAccessLog log;
        log.routes = item.StringList("routes");
        const std::string openapi = item.String("openapi", "");
        const std::string base = item.String("openapi_base_path", "");
        if (!openapi.empty()) {
          const std::string path = RelativeTo(item.file(), openapi);
          auto text = ReadFile(path);
          if (!text) item.Fail("openapi", "cannot read " + path + ": " + text.error());
          auto routes = OpenApiRoutes(*text, path, base);
          if (!routes) item.Fail("openapi", routes.error());
          for (std::string& r : *routes) {
            if (std::find(log.routes.begin(), log.routes.end(), r) == log.routes.end()) {
              log.routes.push_back(std::move(r));
            }
          }
        } else if (!base.empty()) {
          item.Fail("openapi_base_path", "needs openapi");
        }
        auto table = RouteTable::Make(log.routes);
        if (!table) item.Fail("routes", table.error());
        log.protected_routes = RoutesOf(item, "protected_routes", *table);
        if (item.Has("login_route")) {
          log.login_route = item.String("login_route");
          if (!table->Has(*log.login_route)) {
            item.Fail("login_route", "\"" + *log.login_route + "\" is not one of routes");
          }
        }
        log.login_method = item.String("login_method", "POST");
        if (MethodLabel(log.login_method) == "OTHER") {
          item.Fail("login_method", "is not one of GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS");
        }
        log.latency_excluded_routes = RoutesOf(item, "latency_excluded_routes", *table);
        own.push_back(std::move(log));
      });
  for (std::size_t i = 0; i < sources.size(); ++i) own[i].source = sources[i];
  return own;
}

RequestLimits ParseRequestLimits(MapReader map) {
  RequestLimits l;
  if (map.Has("buckets")) {
    l.buckets = map.NumberList("buckets", 0, 1e6);
    if (l.buckets.empty() || l.buckets.size() > 64) map.Fail("buckets", "needs 1 to 64 bounds");
    if (std::adjacent_find(l.buckets.begin(), l.buckets.end(), std::greater_equal<>()) !=
        l.buckets.end()) {
      map.Fail("buckets", "must be strictly ascending");
    }
  }
  l.max_series = static_cast<std::size_t>(
      map.Integer("max_series", static_cast<long long>(l.max_series), 1, 1'000'000));
  map.Finish();
  return l;
}

ApiRequestRules CompileRules(const ApiAccessLog& log) {
  auto table = RouteTable::Make(log.routes);  // checked when parsed
  ApiRequestRules rules;
  if (table) rules.routes = std::move(*table);
  rules.has_auth_fields = log.source.format != AccessLogFormat::kCombined;
  rules.protected_routes = {log.protected_routes.begin(), log.protected_routes.end()};
  rules.login_route = log.login_route;
  rules.login_method = log.login_method;
  rules.latency_excluded = {log.latency_excluded_routes.begin(), log.latency_excluded_routes.end()};
  return rules;
}

ApiAccessLogs::ApiAccessLogs(std::shared_ptr<ApiRequests> requests)
    : logs_([requests](const std::vector<ApiAccessLog>& logs) -> AccessRecordConsumer {
        requests->SetSources(!logs.empty(),
                             std::any_of(logs.begin(), logs.end(),
                                         [](const auto& l) { return l.login_route.has_value(); }));
        auto rules = std::make_shared<std::vector<ApiRequestRules>>();
        for (const auto& log : logs) rules->push_back(CompileRules(log));
        return [requests, rules](std::size_t index, const AccessLogSourceConfig&,
                                 std::span<const AccessRecord> records) {
          requests->Add((*rules)[index], records);
        };
      }) {}

}  // namespace vms::api_server
