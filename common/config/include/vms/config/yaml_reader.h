#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace vms {

// A configuration error: "FILE:LINE:COLUMN: KEY: what is wrong". Thrown at
// configuration time only.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr std::chrono::milliseconds kMaxDuration = std::chrono::hours(24 * 366);

// Parses a YAML document, turning yaml-cpp's syntax errors into ConfigError
// with the file name and position.
YAML::Node ParseYaml(const std::string& text, const std::string& file);

// Reads one YAML mapping against a schema: every key must be read exactly by
// the code that knows it, and Finish() rejects the keys nobody asked for.
class MapReader {
 public:
  // `path` is the dotted key path of this mapping ("" for the document root).
  MapReader(const YAML::Node& node, std::string file, std::string path);

  bool Has(const std::string& key) const;

  std::string String(const std::string& key, std::optional<std::string> fallback = {});
  double Number(const std::string& key, std::optional<double> fallback = {},
                double min = -1e300, double max = 1e300);
  long long Integer(const std::string& key, std::optional<long long> fallback = {},
                    long long min = LLONG_MIN, long long max = LLONG_MAX);
  bool Bool(const std::string& key, std::optional<bool> fallback = {});
  // Prometheus-style duration: 500ms, 10s, 1m, 1h30m; between min and max
  // (no setting of this project means anything beyond a year).
  std::chrono::milliseconds Duration(const std::string& key,
                                     std::optional<std::chrono::milliseconds> fallback = {},
                                     std::chrono::milliseconds min = std::chrono::milliseconds(0),
                                     std::chrono::milliseconds max = kMaxDuration);
  // A regular expression, compiled to check it; returned as text.
  std::string Regex(const std::string& key, std::optional<std::string> fallback = {});
  std::vector<std::string> StringList(const std::string& key);
  // The secret in the file that `key` names (a relative path is relative to
  // the config file's directory), without trailing CR/LF; "" when the key is
  // absent. The error names the file, never its content.
  std::string SecretFile(const std::string& key);
  // A list of integers, each between min and max; absent: empty.
  std::vector<long long> IntegerList(const std::string& key, long long min = LLONG_MIN,
                                     long long max = LLONG_MAX);

  // A list of finite numbers, each between min and max; absent: empty.
  std::vector<double> NumberList(const std::string& key, double min = -1e300, double max = 1e300);

  // A nested mapping; absent → an empty mapping.
  MapReader Map(const std::string& key);
  // Each element of a sequence of mappings.
  void Each(const std::string& key, const std::function<void(MapReader&)>& fn);

  // Throws for the first key that was not read.
  void Finish() const;

  // An error at this mapping, or at `key` within it.
  [[noreturn]] void Fail(const std::string& key, const std::string& what) const;

  const std::string& file() const { return file_; }
  std::string KeyPath(const std::string& key) const;

 private:
  YAML::Node Get(const std::string& key);
  [[noreturn]] void FailAt(const YAML::Mark& mark, const std::string& key,
                           const std::string& what) const;

  YAML::Node node_;
  std::string file_;
  std::string path_;
  std::set<std::string> read_;
};

// "10s" → 10000 ms; std::nullopt if malformed or beyond 64-bit milliseconds.
std::optional<std::chrono::milliseconds> ParseDuration(const std::string& text);

// The shortest form ParseDuration reads back: 90000ms → "90s", 3600000 → "1h".
std::string FormatDuration(std::chrono::milliseconds d);

}  // namespace vms
