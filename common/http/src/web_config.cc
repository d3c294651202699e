#include "vms/http/web_config.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <vector>

#include "basic_auth.h"
#include "tls_context.h"
#include "vms/base/file.h"
#include "vms/config/yaml_reader.h"

namespace vms {
namespace {

using internal::BasicAuthenticator;
using internal::ClientAuth;
using internal::TlsSettings;

// What a file looked like when it was read; any difference means it changed
// (rewritten in place, replaced by rename, created or removed).
struct FileStamp {
  std::string path;
  bool exists = false;
  dev_t dev = 0;
  ino_t ino = 0;
  off_t size = 0;
  std::int64_t mtime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

FileStamp StampOf(const std::string& path) {
  FileStamp stamp{.path = path};
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return stamp;
  stamp.exists = true;
  stamp.dev = st.st_dev;
  stamp.ino = st.st_ino;
  stamp.size = st.st_size;
  stamp.mtime_ns = std::int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec;
  return stamp;
}

// Stamped before reading: a change that races the read shows up at the
// next check instead of being missed.
std::string ReadWatched(const std::string& path, const std::string& what,
                        std::vector<FileStamp>& watched) {
  watched.push_back(StampOf(path));
  auto text = ReadFile(path);
  if (!text) throw ConfigError(what + ": " + text.error());
  return std::move(*text);
}

// exporter-toolkit resolves relative paths against the config's directory.
std::string Resolve(const std::filesystem::path& dir, const std::string& path) {
  if (path.empty() || std::filesystem::path(path).is_absolute()) return path;
  return (dir / path).string();
}

std::optional<TlsSettings> ParseTls(MapReader tls, const std::filesystem::path& dir) {
  TlsSettings s;
  s.cert_file = Resolve(dir, tls.String("cert_file", ""));
  s.key_file = Resolve(dir, tls.String("key_file", ""));
  s.client_ca_file = Resolve(dir, tls.String("client_ca_file", ""));

  const std::string auth_name = tls.String("client_auth_type", "");
  const auto auth = internal::ParseClientAuthType(auth_name);
  if (!auth) {
    tls.Fail("client_auth_type",
             "unknown \"" + auth_name +
                 "\" (use NoClientCert, RequestClientCert, RequireAnyClientCert, "
                 "VerifyClientCertIfGiven or RequireAndVerifyClientCert)");
  }
  s.client_auth = *auth;
  s.client_allowed_sans = tls.StringList("client_allowed_sans");

  for (const char* key : {"min_version", "max_version"}) {
    const std::string name = tls.String(key, "");
    if (name.empty()) continue;
    const auto version = internal::ParseTlsVersion(name);
    if (!version) tls.Fail(key, "unknown TLS version \"" + name + "\" (use TLS10 to TLS13)");
    (std::string_view(key) == "min_version" ? s.min_version : s.max_version) = *version;
  }
  if (s.max_version != 0 && s.max_version < s.min_version) {
    tls.Fail("max_version", "is lower than min_version");
  }

  for (const auto& name : tls.StringList("cipher_suites")) {
    const auto cipher = internal::OpenSslCipherName(name);
    if (!cipher) tls.Fail("cipher_suites", "unknown cipher suite \"" + name + "\"");
    if (!cipher->empty()) s.ciphers.push_back(*cipher);
  }
  for (const auto& name : tls.StringList("curve_preferences")) {
    const auto group = internal::OpenSslGroupName(name);
    if (!group) {
      tls.Fail("curve_preferences",
               "unknown curve \"" + name + "\" (use CurveP256, CurveP384, CurveP521 or X25519)");
    }
    s.groups.push_back(*group);
  }
  s.prefer_server_cipher_suites = tls.Bool("prefer_server_cipher_suites", true);
  tls.Finish();

  if (s.cert_file.empty() && s.key_file.empty()) {
    // exporter-toolkit serves plain HTTP then; but silently dropping a
    // client certificate requirement would be worse than refusing.
    if (!s.client_ca_file.empty()) tls.Fail("client_ca_file", "needs cert_file and key_file");
    if (s.client_auth != ClientAuth::kNoClientCert) {
      tls.Fail("client_auth_type", "needs cert_file and key_file");
    }
    return std::nullopt;
  }
  if (s.cert_file.empty()) tls.Fail("cert_file", "is required with key_file");
  if (s.key_file.empty()) tls.Fail("key_file", "is required with cert_file");
  const bool verifies = s.client_auth == ClientAuth::kVerifyClientCertIfGiven ||
                        s.client_auth == ClientAuth::kRequireAndVerifyClientCert;
  if (verifies && s.client_ca_file.empty()) {
    tls.Fail("client_auth_type", "\"" + auth_name + "\" needs client_ca_file to verify against");
  }
  if (!s.client_allowed_sans.empty() && !verifies) {
    tls.Fail("client_allowed_sans",
             "needs client_auth_type VerifyClientCertIfGiven or RequireAndVerifyClientCert");
  }
  if (!s.client_ca_file.empty() && s.client_auth == ClientAuth::kNoClientCert) {
    tls.Fail("client_ca_file", "is set but client_auth_type is NoClientCert");
  }
  return s;
}

struct LoadedConfig {
  std::shared_ptr<boost::asio::ssl::context> tls;  // nullptr: plain HTTP
  std::shared_ptr<BasicAuthenticator> auth;        // nullptr: no basic auth
};

// Throws ConfigError naming the file and what is wrong. `watched` receives
// every file read, including the one that failed.
LoadedConfig Load(const std::string& path, std::vector<FileStamp>& watched) {
  const std::string text = ReadWatched(path, "reading web config", watched);
  const YAML::Node root = ParseYaml(text, path);
  MapReader reader(root, path, "");
  if (reader.Has("http_server_config")) {
    reader.Fail("http_server_config", "is not supported (no HTTP/2 or custom headers)");
  }
  const auto tls =
      ParseTls(reader.Map("tls_server_config"), std::filesystem::path(path).parent_path());

  std::map<std::string, std::string> users;
  MapReader users_reader = reader.Map("basic_auth_users");
  if (const YAML::Node node = root["basic_auth_users"]; node && node.IsMap()) {
    for (const auto& entry : node) {
      const std::string user = entry.first.Scalar();
      std::string hash = users_reader.String(user);
      if (Status s = internal::CheckBcryptHash(hash); !s.ok()) users_reader.Fail(user, s.message());
      users.emplace(user, std::move(hash));
    }
  }
  users_reader.Finish();
  reader.Finish();

  LoadedConfig loaded;
  if (tls) {
    internal::TlsFiles files;
    files.cert_pem = ReadWatched(tls->cert_file, path + ": tls_server_config.cert_file", watched);
    files.key_pem = ReadWatched(tls->key_file, path + ": tls_server_config.key_file", watched);
    if (!tls->client_ca_file.empty()) {
      files.client_ca_pem =
          ReadWatched(tls->client_ca_file, path + ": tls_server_config.client_ca_file", watched);
    }
    auto context = internal::BuildTlsContext(*tls, files);
    if (!context) throw ConfigError(path + ": " + context.error());
    loaded.tls = std::move(*context);
  }
  if (!users.empty()) loaded.auth = std::make_shared<BasicAuthenticator>(std::move(users));
  return loaded;
}

// Serves the last good version of the web config and picks up changes to it
// or to the files it names, checking at most once per check interval.
class ReloadingWebSecurity final : public WebSecurity {
 public:
  ReloadingWebSecurity(std::string path, LoadedConfig loaded, std::vector<FileStamp> watched,
                       std::chrono::nanoseconds check_interval)
      : path_(std::move(path)), check_interval_ns_(Ns(check_interval)),
        current_(std::move(loaded)), watched_(std::move(watched)) {
    next_check_ns_ = NowNs() + check_interval_ns_;
  }

  std::shared_ptr<boost::asio::ssl::context> TlsContext() override {
    MaybeReload();
    std::lock_guard lock(mu_);
    return current_.tls;
  }

  bool Authorize(std::string_view authorization) override {
    MaybeReload();
    std::shared_ptr<BasicAuthenticator> auth;
    {
      std::lock_guard lock(mu_);
      auth = current_.auth;
    }
    return auth == nullptr || auth->Authorize(authorization);
  }

 private:
  static std::int64_t Ns(std::chrono::nanoseconds d) { return d.count(); }
  static std::int64_t NowNs() { return Ns(std::chrono::steady_clock::now().time_since_epoch()); }

  // Cheap unless the check interval has passed: this runs on the event loop
  // at every accept.
  void MaybeReload() {
    const std::int64_t now = NowNs();
    std::int64_t due = next_check_ns_.load(std::memory_order_relaxed);
    if (now < due) return;
    // One thread checks; the others keep serving the current version.
    if (!next_check_ns_.compare_exchange_strong(due, now + check_interval_ns_)) return;
    std::unique_lock reload_lock(reload_mu_, std::try_to_lock);
    if (!reload_lock) return;
    const bool changed = std::any_of(watched_.begin(), watched_.end(),
                                     [](const FileStamp& s) { return StampOf(s.path) != s; });
    if (!changed) return;

    std::vector<FileStamp> watched;
    try {
      LoadedConfig loaded = Load(path_, watched);
      {
        std::lock_guard lock(mu_);
        current_ = std::move(loaded);
      }
      spdlog::info("web config {} reloaded", path_);
    } catch (const std::exception& e) {
      // Anything (a ConfigError, or a library's exception on a half-written
      // file) keeps the last good version: this runs on the event loop.
      // Logged once: the failed version's stamps become the baseline.
      spdlog::error("web config not reloaded, keeping the previous one: {}", e.what());
    }
    watched_ = std::move(watched);
  }

  const std::string path_;
  const std::int64_t check_interval_ns_;
  std::mutex mu_;
  LoadedConfig current_;  // guarded by mu_
  std::mutex reload_mu_;
  std::vector<FileStamp> watched_;  // guarded by reload_mu_
  std::atomic<std::int64_t> next_check_ns_{0};
};

}  // namespace

Result<std::shared_ptr<WebSecurity>> LoadWebConfig(const std::string& path,
                                                   WebConfigOptions options) {
  std::vector<FileStamp> watched;
  try {
    LoadedConfig loaded = Load(path, watched);
    return std::shared_ptr<WebSecurity>(std::make_shared<ReloadingWebSecurity>(
        path, std::move(loaded), std::move(watched), options.check_interval));
  } catch (const ConfigError& e) {
    return Status::Error(e.what());
  } catch (const std::exception& e) {
    return Status::Error(path + ": " + e.what());
  }
}

}  // namespace vms
