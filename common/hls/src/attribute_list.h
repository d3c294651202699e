#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vms/base/status.h"

namespace vms::hls {

// RFC 8216 4.2 number forms: decimal-integer (0 to 2^64-1, digits only) and
// decimal-floating-point (digits, optionally one '.'; no sign, exponent, inf
// or nan, which std::from_chars alone would accept).
std::optional<std::uint64_t> ParseDecimalInteger(std::string_view s);
std::optional<double> ParseDecimalFloat(std::string_view s);

// An attribute-list (RFC 8216 4.2): AttributeName=AttributeValue pairs
// separated by commas, where a quoted-string value may hold commas. Values
// point into the parsed text.
struct Attribute {
  std::string_view name;
  std::string_view value;  // without the quotes of a quoted-string
  bool quoted = false;
};

inline constexpr std::size_t kMaxAttributes = 64;

// Fails on a pair without '=', an unterminated quoted-string, text after a
// closing quote, a duplicated name (4.2: clients SHOULD refuse those) and
// more than kMaxAttributes pairs. Tolerates blanks around pairs and a
// trailing comma, which hand-made playlists have.
Result<std::vector<Attribute>> ParseAttributeList(std::string_view text);

// Typed reads of one tag's attributes. The first problem (a missing required
// attribute, a value of the wrong form) is kept, naming the tag and the
// attribute; later reads still answer, so a caller checks status() once.
class AttributeReader {
 public:
  AttributeReader(std::string_view tag, std::vector<Attribute> attributes)
      : tag_(tag), attributes_(std::move(attributes)) {}

  std::optional<std::uint64_t> Integer(std::string_view name, bool required = false);
  std::optional<double> Float(std::string_view name, bool required = false);
  std::optional<std::string> QuotedString(std::string_view name, bool required = false);
  std::optional<std::string_view> Enumerated(std::string_view name, bool required = false);
  bool Yes(std::string_view name);  // enumerated YES/NO; absent is NO
  // decimal-resolution WxH (4.2), each side 1 to 65535.
  std::optional<std::pair<int, int>> Resolution(std::string_view name);

  const Status& status() const { return status_; }

 private:
  const Attribute* Find(std::string_view name, bool required);
  void Fail(std::string_view name, std::string_view what);

  std::string_view tag_;
  std::vector<Attribute> attributes_;
  Status status_;
};

}  // namespace vms::hls
