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
  if (const JsonValue::Array* items = v.AsArray()) {
    // The IETF draft's observations of one component: each must pass.
    return !items->empty() && std::all_of(items->begin(), items->end(), [](const JsonValue& item) {
      return item.AsObject() != nullptr && CheckHealthy(item);
    });
  }
  return false;
}

}  // namespace

bool IsHealthyWord(std::string_view word) {
  std::string lower(word);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "ok" || lower == "up" || lower == "pass" || lower == "healthy";
}

bool IsValidCheckName(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::none_of(name.begin(), name.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

std::optional<HealthBody> ParseHealthBody(std::string_view body) {
  // A health body is small; the limits keep a hostile one cheap.
  auto doc = ParseJson(body, JsonLimits{.max_depth = 16, .max_bytes = 1 << 20, .max_values = 4096});
  if (!doc || !doc->is_object()) return std::nullopt;
  HealthBody out;
  if (auto s = doc->FindString("status")) out.status = std::string(*s);
  if (const JsonValue* checks = doc->Find("checks")) {
    if (const JsonValue::Object* members = checks->AsObject()) {
      for (const auto& member : *members) {
        // Not a structured binding: clang 14 cannot capture one in a lambda.
        const auto& name = member.first;
        const bool seen = std::any_of(out.checks.begin(), out.checks.end(),
                                      [&](const auto& c) { return c.first == name; });
        if (!seen) out.checks.emplace_back(name, CheckHealthy(member.second));
      }
    }
  }
  return out;
}

HealthCheckNames::HealthCheckNames(std::vector<std::string> configured, std::size_t max_checks)
    : max_checks_(max_checks), known_(std::move(configured)) {}

std::vector<std::pair<std::string, bool>> HealthCheckNames::Initial() const {
  std::vector<std::pair<std::string, bool>> out;
  for (const auto& name : known_) out.emplace_back(name, false);
  return out;
}

void HealthCheckNames::Refuse(const std::string& name, std::uint64_t& counter) {
  if (refused_.size() >= kMaxRemembered) {
    if (!refused_.contains(name)) ++counter;
  } else if (refused_.insert(name).second) {
    ++counter;
  }
}

std::vector<std::pair<std::string, bool>> HealthCheckNames::Update(const HealthBody* body) {
  if (body) {
    for (const auto& [name, healthy] : body->checks) {
      if (std::find(known_.begin(), known_.end(), name) != known_.end()) continue;
      if (!IsValidCheckName(name)) {
        Refuse(name, invalid_);
      } else if (known_.size() < max_checks_) {
        known_.push_back(name);
      } else {
        Refuse(name, capped_);
      }
    }
  }
  std::vector<std::pair<std::string, bool>> out;
  for (const auto& name : known_) {
    bool healthy = false;
    if (body) {
      for (const auto& [n, h] : body->checks) {
        if (n == name) {
          healthy = h;
          break;
        }
      }
    }
    out.emplace_back(name, healthy);
  }
  return out;
}

}  // namespace vms::api_server
