#include "api_server/health_check_config.h"

#include <regex>
#include <set>

#include "vms/base/text.h"
#include "vms/base/url_credentials.h"

namespace vms::api_server {
namespace {

const std::regex kLabelValue("[A-Za-z0-9_.:-]{1,64}");

bool SameTls(const TlsClientOptions& a, const TlsClientOptions& b) {
  return a.ca_file == b.ca_file && a.insecure_skip_verify == b.insecure_skip_verify &&
         a.server_name == b.server_name && a.cert_file == b.cert_file && a.key_file == b.key_file &&
         a.min_version == b.min_version;
}

std::string ResolvePath(const std::string& config_file, const std::string& path) {
  if (path.empty() || path.front() == '/') return path;
  const auto slash = config_file.rfind('/');
  return slash == std::string::npos ? path : config_file.substr(0, slash + 1) + path;
}

}  // namespace

bool HealthCheckConfig::operator==(const HealthCheckConfig& o) const {
  return target == o.target && url == o.url && method == o.method && headers == o.headers &&
         interval == o.interval && timeout == o.timeout &&
         valid_status_codes == o.valid_status_codes && body_regex == o.body_regex &&
         max_body_bytes == o.max_body_bytes && username == o.username && password == o.password &&
         bearer_token == o.bearer_token && SameTls(tls, o.tls) && checks == o.checks &&
         max_checks == o.max_checks;
}

std::vector<HealthCheckConfig> ParseHealthChecks(MapReader& root, const ProbeDefaults& defaults) {
  std::vector<HealthCheckConfig> checks;
  std::set<std::string> targets;
  root.Each("health_checks", [&](MapReader& m) {
    if (checks.size() == kMaxHealthTargets) {
      m.Fail("", "more than " + std::to_string(kMaxHealthTargets) + " health checks");
    }
    HealthCheckConfig c;
    c.target = m.String("target");
    if (!std::regex_match(c.target, kLabelValue)) {
      m.Fail("target", "must be 1-64 characters of A-Z a-z 0-9 _ . : -");
    }
    if (!targets.insert(c.target).second) {
      m.Fail("target", "duplicate target \"" + c.target + "\"");
    }
    c.url = m.String("url");
    if (!c.url.starts_with("http://") && !c.url.starts_with("https://")) {
      m.Fail("url", "must start with http:// or https://");
    }
    // The URL is never echoed in an error: it may hold a password.
    const UrlCredentials split = SplitUrlCredentials(c.url);
    if (!split.password.empty()) {
      m.Fail("url", "holds a password; give username and password_file instead");
    }
    c.url = split.url;
    c.username = m.String("username", split.user);
    if (m.Has("password"))
      m.Fail("password", "inline passwords are not accepted; use password_file");
    c.password = m.SecretFile("password_file");
    if (!c.password.empty() && c.username.empty()) m.Fail("password_file", "needs username");
    c.bearer_token = m.SecretFile("bearer_token_file");
    if (!c.bearer_token.empty() && !c.username.empty()) {
      m.Fail("bearer_token_file", "is exclusive with username");
    }
    c.method = m.String("method", "GET");
    static const std::set<std::string> kMethods = {"GET", "HEAD", "POST", "OPTIONS"};
    if (!kMethods.contains(c.method)) m.Fail("method", "must be GET, HEAD, POST or OPTIONS");
    for (const auto& line : m.StringList("headers")) {  // "Name: value"
      const auto colon = line.find(':');
      if (colon == std::string::npos || colon == 0) m.Fail("headers", "each is \"Name: value\"");
      // Credentials come from files only, like passwords: the config may be
      // world-readable and is quoted in bug reports.
      const std::string name = line.substr(0, colon);
      if (EqualsNoCase(name, "Authorization") || EqualsNoCase(name, "Proxy-Authorization")) {
        m.Fail("headers", name +
                              " is a credential; use username and password_file, or "
                              "bearer_token_file");
      }
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      c.headers.emplace_back(line.substr(0, colon), std::move(value));
    }
    c.interval = m.Duration("interval", defaults.interval, kMinProbeInterval, kMaxProbeInterval);
    c.timeout = m.Duration("timeout", std::min(defaults.timeout, c.interval), kMinProbeTimeout,
                           kMaxProbeInterval);
    if (c.timeout > c.interval) m.Fail("timeout", "must not exceed interval");
    for (long long code : m.IntegerList("valid_status_codes", 100, 599)) {
      c.valid_status_codes.push_back(static_cast<int>(code));
    }
    c.body_regex = m.String("body_regex", "");
    if (!c.body_regex.empty()) {
      auto compiled = CompileBodyRegex(c.body_regex);
      if (!compiled) m.Fail("body_regex", compiled.error());
    }
    c.max_body_bytes = static_cast<std::uint64_t>(
        m.Integer("max_body_bytes", static_cast<long long>(c.max_body_bytes), 1, 16 << 20));
    MapReader tls = m.Map("tls_config");
    c.tls.ca_file = ResolvePath(m.file(), tls.String("ca_file", ""));
    c.tls.insecure_skip_verify = tls.Bool("insecure_skip_verify", false);
    c.tls.server_name = tls.String("server_name", "");
    c.tls.cert_file = ResolvePath(m.file(), tls.String("cert_file", ""));
    c.tls.key_file = ResolvePath(m.file(), tls.String("key_file", ""));
    if (c.tls.cert_file.empty() != c.tls.key_file.empty()) {
      tls.Fail("cert_file", "cert_file and key_file go together");
    }
    tls.Finish();
    c.max_checks = static_cast<std::size_t>(
        m.Integer("max_checks", static_cast<long long>(c.max_checks), 0, 256));
    std::set<std::string> names;
    for (const auto& name : m.StringList("checks")) {
      if (!std::regex_match(name, kLabelValue)) {
        m.Fail("checks", "a check name must be 1-64 characters of A-Z a-z 0-9 _ . : -");
      }
      if (names.insert(name).second) c.checks.push_back(name);
    }
    if (c.checks.size() > c.max_checks) m.Fail("checks", "more names than max_checks");
    HttpClientRequest request;
    request.url = c.url;
    request.method = c.method;
    request.headers = c.headers;
    if (Status s = ValidateHttpClientRequest(request); !s.ok()) m.Fail("", s.message());
    checks.push_back(std::move(c));
  });
  return checks;
}

Result<HttpProbeConfig> MakeHttpProbeConfig(const HealthCheckConfig& c) {
  HttpProbeConfig p;
  p.target = c.target;
  p.request.method = c.method;
  p.request.url = c.url;
  p.request.headers = c.headers;
  p.request.timeout = c.timeout;
  p.request.max_body_bytes = c.max_body_bytes;
  p.request.basic_user = c.username;
  p.request.basic_password = c.password;
  p.request.bearer_token = c.bearer_token;
  p.request.tls = c.tls;
  if (c.url.starts_with("https://")) {
    auto context = BuildTlsClientContext(c.tls);
    if (!context) return context.status();
    p.request.tls_context = *context;
  }
  p.valid_status_codes = c.valid_status_codes;
  if (!c.body_regex.empty()) {
    auto compiled = CompileBodyRegex(c.body_regex);
    if (!compiled) return compiled.status();
    p.body_regex = std::move(*compiled);
  }
  return p;
}

}  // namespace vms::api_server
