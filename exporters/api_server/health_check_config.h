#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "vms/base/status.h"
#include "vms/config/probe_defaults.h"
#include "vms/config/yaml_reader.h"
#include "vms/httpclient/http_probe.h"

namespace vms::api_server {

// Label cardinality comes from the config and the health body, both capped.
inline constexpr std::size_t kMaxHealthTargets = 64;
inline constexpr std::size_t kMaxHealthChecksDefault = 32;  // per target, from the body

// One `health_checks:` entry: the API's health endpoint, probed in the
// background like blackbox_exporter's http module.
struct HealthCheckConfig {
  std::string target;  // the target label
  std::string url;     // http(s), without credentials
  std::string method = "GET";
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds interval{10'000};
  std::chrono::milliseconds timeout{5'000};
  std::vector<int> valid_status_codes;  // empty: 200-299
  std::string body_regex;               // empty: no body check
  std::uint64_t max_body_bytes = 64 * 1024;
  std::string username;  // basic auth
  std::string password;  // from password_file; never logged
  std::string bearer_token;  // from bearer_token_file; never logged
  TlsClientOptions tls;
  // Check names expected in the health JSON: their series exist from the
  // start (0 until a body says otherwise). Others are added as bodies name
  // them, up to max_checks.
  std::vector<std::string> checks;
  std::size_t max_checks = kMaxHealthChecksDefault;

  bool operator==(const HealthCheckConfig& o) const;
};

// The `health_checks:` list of `root`. Throws ConfigError naming
// file:line:column and key, never quoting a URL. Durations default to
// `defaults`.
std::vector<HealthCheckConfig> ParseHealthChecks(MapReader& root, const ProbeDefaults& defaults);

// The HttpProbe's config (TLS context built once here). The error names the
// setting at fault.
Result<HttpProbeConfig> MakeHttpProbeConfig(const HealthCheckConfig& config);

}  // namespace vms::api_server
