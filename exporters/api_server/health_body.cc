#include "api_server/health_body.h"

#include <algorithm>
#include <cctype>

#include "vms/json/json_parser.h"

namespace vms::api_server {
namespace {

bool CheckHealthy(const JsonValue& v) {
  if (auto b = v.AsBool()) return *b;
  if (auto s = v.AsString()) return IsHealthyWord(*s);
  if (auto s = v.FindString("status")) return IsHealthyWord(*s);
  return false;
}

}  // namespace

bool IsHealthyWord(std::string_view word) {
  std::string lower(word);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "ok" || lower == "up" || lower == "pass" || lower == "healthy";
}

std::optional<HealthBody> ParseHealthBody(std::string_view body) {
  // A health body is small; the limits keep a hostile one cheap.
  auto doc = ParseJson(body, JsonLimits{.max_depth = 16, .max_bytes = 1 << 20, .max_values = 4096});
  if (!doc || !doc->is_object()) return std::nullopt;
  HealthBody out;
  if (auto s = doc->FindString("status")) out.status = std::string(*s);
  if (const JsonValue* checks = doc->Find("checks")) {
    if (const JsonValue::Object* members = checks->AsObject()) {
      for (const auto& [name, value] : *members) out.checks.emplace_back(name, CheckHealthy(value));
    }
  }
  return out;
}

}  // namespace vms::api_server
