#include "attribute_list.h"

#include <algorithm>

#include "vms/base/text.h"

namespace vms::hls {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<std::uint64_t> ParseDecimalInteger(std::string_view s) {
  std::uint64_t value = 0;
  if (!AllDigits(s) || s.size() > 20 || !ParseNumber(s, value)) return std::nullopt;
  return value;
}

std::optional<double> ParseDecimalFloat(std::string_view s) {
  const std::size_t dot = s.find('.');
  const std::string_view whole = s.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  if (whole.empty() && fraction.empty()) return std::nullopt;
  if ((!whole.empty() && !AllDigits(whole)) || (!fraction.empty() && !AllDigits(fraction))) {
    return std::nullopt;
  }
  // 4.2 has no length limit, but 64 digits is beyond any real duration and
  // keeps from_chars' work bounded.
  double value = 0;
  if (s.size() > 64 || !ParseNumber(s, value)) return std::nullopt;
  return value;
}

Result<std::vector<Attribute>> ParseAttributeList(std::string_view text) {
  std::vector<Attribute> out;
  std::size_t i = 0;
  auto skip_blanks = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  };
  while (true) {
    skip_blanks();
    if (i >= text.size()) break;
    const std::size_t eq = text.find('=', i);
    if (eq == std::string_view::npos) {
      return Status::Error("attribute without '=' at \"" + std::string(text.substr(i, 40)) + "\"");
    }
    const std::string_view name = Trim(text.substr(i, eq - i));
    if (name.empty() || name.find_first_of(",\"") != std::string_view::npos) {
      return Status::Error("bad attribute name before column " + std::to_string(eq + 1));
    }
    Attribute attribute{name, {}, false};
    i = eq + 1;
    if (i < text.size() && text[i] == '"') {
      const std::size_t close = text.find('"', i + 1);
      if (close == std::string_view::npos) {
        return Status::Error("unterminated quoted-string in attribute " + std::string(name));
      }
      attribute.value = text.substr(i + 1, close - i - 1);
      attribute.quoted = true;
      i = close + 1;
      skip_blanks();
      if (i < text.size() && text[i] != ',') {
        return Status::Error("text after the quoted-string of attribute " + std::string(name));
      }
    } else {
      const std::size_t comma = std::min(text.find(',', i), text.size());
      attribute.value = Trim(text.substr(i, comma - i));
      i = comma;
    }
    for (const Attribute& seen : out) {
      if (seen.name == name) return Status::Error("attribute " + std::string(name) + " repeated");
    }
    if (out.size() == kMaxAttributes) {
      return Status::Error("more than " + std::to_string(kMaxAttributes) + " attributes");
    }
    out.push_back(attribute);
    if (i < text.size()) ++i;  // the comma
  }
  return out;
}

const Attribute* AttributeReader::Find(std::string_view name, bool required) {
  for (const Attribute& a : attributes_) {
    if (a.name == name) return &a;
  }
  if (required) Fail(name, "is required");
  return nullptr;
}

void AttributeReader::Fail(std::string_view name, std::string_view what) {
  if (status_.ok()) {
    status_ = Status::Error(std::string(tag_) + " attribute " + std::string(name) + " " +
                            std::string(what));
  }
}

std::optional<std::uint64_t> AttributeReader::Integer(std::string_view name, bool required) {
  const Attribute* a = Find(name, required);
  if (a == nullptr) return std::nullopt;
  const auto value = a->quoted ? std::nullopt : ParseDecimalInteger(a->value);
  if (!value) Fail(name, "is not a decimal-integer");
  return value;
}

std::optional<double> AttributeReader::Float(std::string_view name, bool required) {
  const Attribute* a = Find(name, required);
  if (a == nullptr) return std::nullopt;
  const auto value = a->quoted ? std::nullopt : ParseDecimalFloat(a->value);
  if (!value) Fail(name, "is not a decimal-floating-point");
  return value;
}

std::optional<std::string> AttributeReader::QuotedString(std::string_view name, bool required) {
  const Attribute* a = Find(name, required);
  if (a == nullptr) return std::nullopt;
  if (!a->quoted) {
    Fail(name, "is not a quoted-string");
    return std::nullopt;
  }
  return std::string(a->value);
}

std::optional<std::string_view> AttributeReader::Enumerated(std::string_view name, bool required) {
  const Attribute* a = Find(name, required);
  if (a == nullptr) return std::nullopt;
  if (a->quoted || a->value.empty()) {
    Fail(name, "is not an enumerated-string");
    return std::nullopt;
  }
  return a->value;
}

bool AttributeReader::Yes(std::string_view name) {
  const auto value = Enumerated(name);
  if (!value) return false;
  if (*value == "YES") return true;
  if (*value != "NO") Fail(name, "is neither YES nor NO");
  return false;
}

std::optional<std::pair<int, int>> AttributeReader::Resolution(std::string_view name) {
  const Attribute* a = Find(name, false);
  if (a == nullptr) return std::nullopt;
  const std::size_t x = a->value.find_first_of("xX");
  const auto w =
      x == std::string_view::npos ? std::nullopt : ParseDecimalInteger(a->value.substr(0, x));
  const auto h =
      x == std::string_view::npos ? std::nullopt : ParseDecimalInteger(a->value.substr(x + 1));
  if (a->quoted || !w || !h || *w == 0 || *h == 0 || *w > 65535 || *h > 65535) {
    Fail(name, "is not a decimal-resolution");
    return std::nullopt;
  }
  return std::pair{static_cast<int>(*w), static_cast<int>(*h)};
}

}  // namespace vms::hls
