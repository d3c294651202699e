#include "vms/config/yaml_reader.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string_view>
#include <vector>

#include "vms/base/file.h"
#include "vms/base/text.h"

namespace vms {
namespace {

std::string Position(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null()) return file;
  return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

// libstdc++'s std::regex compiles by recursion, copies a repeated atom once
// per count ((a{1000}){1000} is a million states) and reads repeat counts and
// back-reference numbers into a long without an overflow check (UB, found by
// tests/fuzz). A config's pattern is bounded before std::regex sees it.
constexpr std::size_t kMaxRegexBytes = 1024;
constexpr long long kMaxRegexStates = 10000;

// Why std::regex must not compile `pattern`; empty when it may.
std::string RegexLimitError(std::string_view pattern) {
  if (pattern.size() > kMaxRegexBytes) {
    return "longer than " + std::to_string(kMaxRegexBytes) + " bytes";
  }
  const auto digits_at = [&](std::size_t i) {
    std::size_t j = i;
    while (j < pattern.size() && pattern[j] >= '0' && pattern[j] <= '9') ++j;
    return j - i;
  };
  // States so far in each open group, and the size of the atom a repeat
  // count would copy.
  std::vector<long long> open;
  long long states = 0;
  long long last = 0;
  bool in_bracket = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      if (digits_at(i + 1) > 3) return "back-reference number too large";
      ++i;  // the escaped character
      if (!in_bracket) last = 1, ++states;
      continue;
    }
    if (in_bracket) {
      if (c == ']') in_bracket = false;
      continue;
    }
    if (c == '[') {
      in_bracket = true;  // to the next ']': ECMAScript's "[]" is an empty class
      last = 1, ++states;
    } else if (c == '(') {
      open.push_back(states);
      states = 0, last = 0;
    } else if (c == ')' && !open.empty()) {
      last = states;
      states += open.back();
      open.pop_back();
    } else if (c == '|') {
      last = 0;
    } else if (c == '{' && digits_at(i + 1) > 0) {
      std::size_t j = i + 1;
      long long count = 0;
      for (int bound = 0; bound < 2 && j < pattern.size(); ++bound) {
        const std::size_t n = digits_at(j);
        if (n > 6) return "repeat count too large";
        if (n > 0) count = std::max(count, std::stoll(std::string(pattern.substr(j, n))) + 1);
        j += n;
        if (j < pattern.size() && pattern[j] == ',') ++j;
      }
      states += last * count;
      last *= count;
      i = j - 1;
    } else {
      last = 1, ++states;
    }
    if (states > kMaxRegexStates || last > kMaxRegexStates) {
      return "repeat counts too large (more than " + std::to_string(kMaxRegexStates) + " states)";
    }
  }
  return "";
}

}  // namespace

YAML::Node ParseYaml(const std::string& text, const std::string& file) {
  try {
    YAML::Node root = YAML::Load(text);
    if (root.IsNull()) return YAML::Node(YAML::NodeType::Map);
    if (!root.IsMap()) {
      throw ConfigError(Position(file, root.Mark()) + ": the document must be a mapping");
    }
    return root;
  } catch (const YAML::Exception& e) {
    throw ConfigError(Position(file, e.mark) + ": " + e.msg);
  }
}

std::optional<std::chrono::milliseconds> ParseDuration(const std::string& text) {
  if (text.empty()) return std::nullopt;
  if (text == "0") return std::chrono::milliseconds(0);
  // Whole milliseconds in 64 bits: a number or a sum that does not fit is
  // malformed, not a wrapped-around value.
  constexpr std::uint64_t kMax = std::numeric_limits<std::int64_t>::max();
  std::size_t i = 0;
  std::uint64_t total_ms = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    std::uint64_t value = 0;
    if (i == start || !ParseNumber(std::string_view(text).substr(start, i - start), value)) {
      return std::nullopt;
    }
    const std::size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    const std::string_view unit = std::string_view(text).substr(unit_start, i - unit_start);
    std::uint64_t factor;
    if (unit == "ms")
      factor = 1;
    else if (unit == "s")
      factor = 1000;
    else if (unit == "m")
      factor = 60'000;
    else if (unit == "h")
      factor = 3'600'000;
    else if (unit == "d")
      factor = 86'400'000;
    else
      return std::nullopt;
    if (value > (kMax - total_ms) / factor) return std::nullopt;
    total_ms += value * factor;
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(total_ms));
}

MapReader::MapReader(const YAML::Node& node, std::string file, std::string path)
    : node_(node), file_(std::move(file)), path_(std::move(path)) {
  if (node_ && !node_.IsNull() && !node_.IsMap()) {
    FailAt(node_.Mark(), "", "expected a mapping");
  }
}

std::string MapReader::KeyPath(const std::string& key) const {
  if (key.empty()) return path_.empty() ? "(root)" : path_;
  return path_.empty() ? key : path_ + "." + key;
}

void MapReader::FailAt(const YAML::Mark& mark, const std::string& key,
                       const std::string& what) const {
  throw ConfigError(Position(file_, mark) + ": " + KeyPath(key) + ": " + what);
}

void MapReader::Fail(const std::string& key, const std::string& what) const {
  YAML::Mark mark = node_ ? node_.Mark() : YAML::Mark::null_mark();
  if (!key.empty() && node_ && node_.IsMap() && node_[key]) mark = node_[key].Mark();
  FailAt(mark, key, what);
}

bool MapReader::Has(const std::string& key) const {
  return node_ && node_.IsMap() && node_[key] && !node_[key].IsNull();
}

YAML::Node MapReader::Get(const std::string& key) {
  read_.insert(key);
  if (!node_ || !node_.IsMap()) return YAML::Node();
  return node_[key];
}

std::string MapReader::String(const std::string& key, std::optional<std::string> fallback) {
  YAML::Node v = Get(key);
  if (!v || v.IsNull()) {
    if (fallback) return *fallback;
    Fail(key, "is required");
  }
  if (!v.IsScalar()) FailAt(v.Mark(), key, "expected a string");
  return v.Scalar();
}

double MapReader::Number(const std::string& key, std::optional<double> fallback, double min,
                         double max) {
  YAML::Node v = Get(key);
  if (!v || v.IsNull()) {
    if (fallback) return *fallback;
    Fail(key, "is required");
  }
  double d;
  if (!v.IsScalar() || !YAML::convert<double>::decode(v, d) || !std::isfinite(d)) {
    FailAt(v.Mark(), key, "expected a number, got \"" + (v.IsScalar() ? v.Scalar() : "") + "\"");
  }
  if (d < min || d > max) {
    FailAt(v.Mark(), key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return d;
}

long long MapReader::Integer(const std::string& key, std::optional<long long> fallback,
                             long long min, long long max) {
  YAML::Node v = Get(key);
  if (!v || v.IsNull()) {
    if (fallback) return *fallback;
    Fail(key, "is required");
  }
  long long n;
  if (!v.IsScalar() || !YAML::convert<long long>::decode(v, n)) {
    FailAt(v.Mark(), key, "expected an integer, got \"" + (v.IsScalar() ? v.Scalar() : "") + "\"");
  }
  if (n < min || n > max) {
    FailAt(v.Mark(), key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return n;
}

bool MapReader::Bool(const std::string& key, std::optional<bool> fallback) {
  YAML::Node v = Get(key);
  if (!v || v.IsNull()) {
    if (fallback) return *fallback;
    Fail(key, "is required");
  }
  bool b;
  if (!v.IsScalar() || !YAML::convert<bool>::decode(v, b)) {
    FailAt(v.Mark(), key, "expected true or false");
  }
  return b;
}

std::chrono::milliseconds MapReader::Duration(const std::string& key,
                                              std::optional<std::chrono::milliseconds> fallback,
                                              std::chrono::milliseconds min,
                                              std::chrono::milliseconds max) {
  YAML::Node v = Get(key);
  if (!v || v.IsNull()) {
    if (fallback) return *fallback;
    Fail(key, "is required");
  }
  if (!v.IsScalar()) FailAt(v.Mark(), key, "expected a duration such as 10s");
  auto d = ParseDuration(v.Scalar());
  if (!d)
    FailAt(v.Mark(), key, "invalid duration \"" + v.Scalar() + "\" (use e.g. 500ms, 10s, 1m)");
  if (*d < min || *d > max) {
    FailAt(v.Mark(), key, "must be between " + FormatDuration(min) + " and " + FormatDuration(max));
  }
  return *d;
}

std::string FormatDuration(std::chrono::milliseconds d) {
  const long long ms = d.count();
  if (ms == 0) return "0s";
  if (ms % 86'400'000 == 0) return std::to_string(ms / 86'400'000) + "d";
  if (ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

std::string MapReader::Regex(const std::string& key, std::optional<std::string> fallback) {
  const bool present = Has(key);
  std::string text = String(key, std::move(fallback));
  if (present) {
    if (const std::string why = RegexLimitError(text); !why.empty()) {
      Fail(key, "regular expression refused: " + why);
    }
    try {
      std::regex re(text);
    } catch (const std::regex_error& e) {
      Fail(key, "invalid regular expression \"" + text + "\": " + e.what());
    }
  }
  return text;
}

std::vector<std::string> MapReader::StringList(const std::string& key) {
  YAML::Node v = Get(key);
  std::vector<std::string> out;
  if (!v || v.IsNull()) return out;
  if (!v.IsSequence()) FailAt(v.Mark(), key, "expected a list of strings");
  for (const auto& item : v) {
    if (!item.IsScalar()) FailAt(item.Mark(), key, "expected a list of strings");
    out.push_back(item.Scalar());
  }
  return out;
}

std::string MapReader::SecretFile(const std::string& key) {
  const std::string name = String(key, "");
  if (name.empty()) return "";
  std::filesystem::path path(name);
  if (path.is_relative()) path = std::filesystem::path(file_).parent_path() / path;
  auto secret = ReadFile(path.string());
  if (!secret) Fail(key, "cannot read " + path.string() + ": " + secret.error());
  std::string value = std::move(*secret);
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
  return value;
}

std::vector<long long> MapReader::IntegerList(const std::string& key, long long min,
                                              long long max) {
  YAML::Node v = Get(key);
  std::vector<long long> out;
  if (!v || v.IsNull()) return out;
  if (!v.IsSequence()) FailAt(v.Mark(), key, "expected a list of integers");
  for (const auto& item : v) {
    long long n;
    if (!item.IsScalar() || !YAML::convert<long long>::decode(item, n)) {
      FailAt(item.Mark(), key, "expected a list of integers");
    }
    if (n < min || n > max) {
      FailAt(item.Mark(), key,
             "must be between " + std::to_string(min) + " and " + std::to_string(max));
    }
    out.push_back(n);
  }
  return out;
}

std::vector<double> MapReader::NumberList(const std::string& key, double min, double max) {
  YAML::Node v = Get(key);
  std::vector<double> out;
  if (!v || v.IsNull()) return out;
  if (!v.IsSequence()) FailAt(v.Mark(), key, "expected a list of numbers");
  for (const auto& item : v) {
    double n;
    if (!item.IsScalar() || !YAML::convert<double>::decode(item, n) || !std::isfinite(n)) {
      FailAt(item.Mark(), key, "expected a list of numbers");
    }
    if (n < min || n > max) {
      FailAt(item.Mark(), key,
             "must be between " + std::to_string(min) + " and " + std::to_string(max));
    }
    out.push_back(n);
  }
  return out;
}

MapReader MapReader::Map(const std::string& key) {
  YAML::Node v = Get(key);
  if (v && !v.IsNull() && !v.IsMap()) FailAt(v.Mark(), key, "expected a mapping");
  return MapReader(v, file_, KeyPath(key));
}

void MapReader::Each(const std::string& key, const std::function<void(MapReader&)>& fn) {
  YAML::Node v = Get(key);
  if (!v || v.IsNull()) return;
  if (!v.IsSequence()) FailAt(v.Mark(), key, "expected a list");
  std::size_t i = 0;
  for (const auto& item : v) {
    const std::string item_path = KeyPath(key) + "[" + std::to_string(i++) + "]";
    if (!item.IsMap()) {
      throw ConfigError(Position(file_, item.Mark()) + ": " + item_path + ": expected a mapping");
    }
    MapReader reader(item, file_, item_path);
    fn(reader);
    reader.Finish();
  }
}

void MapReader::Finish() const {
  if (!node_ || !node_.IsMap()) return;
  for (const auto& kv : node_) {
    const std::string key = kv.first.Scalar();
    if (!read_.contains(key)) {
      FailAt(kv.first.Mark(), key, "unknown key");
    }
  }
}

}  // namespace vms
