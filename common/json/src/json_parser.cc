#include "vms/json/json_parser.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>

#include "vms/json/json_string.h"

namespace vms {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

class Parser {
 public:
  Parser(std::string_view text, const JsonLimits& limits)
      : text_(text), limits_(limits), max_depth_(std::min(limits.max_depth, kMaxJsonDepth)) {}

  Result<JsonValue> ParseDocument() {
    if (text_.size() > limits_.max_bytes) {
      return Status::Error("JSON text of " + std::to_string(text_.size()) +
                           " bytes is over the limit of " + std::to_string(limits_.max_bytes));
    }
    SkipSpace();
    JsonValue root;
    if (!ParseValue(root, 0)) return Status::Error(std::move(error_));
    SkipSpace();
    if (pos_ != text_.size()) {
      Fail("unexpected text after the value");
      return Status::Error(std::move(error_));
    }
    return root;
  }

 private:
  bool Fail(std::string_view what) {
    if (error_.empty()) error_ = "JSON at byte " + std::to_string(pos_) + ": " + std::string(what);
    return false;
  }

  void SkipSpace() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
  }

  bool Consume(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool ParseValue(JsonValue& out, std::size_t depth) {
    if (++values_ > limits_.max_values) {
      return Fail("more than " + std::to_string(limits_.max_values) + " values");
    }
    if (pos_ >= text_.size()) return Fail("expected a value, found the end of the text");
    switch (text_[pos_]) {
      case '{':
        return ParseObject(out, depth + 1);
      case '[':
        return ParseArray(out, depth + 1);
      case '"': {
        std::string s;
        if (!ParseString(s)) return false;
        out = JsonValue::String(std::move(s));
        return true;
      }
      case 't':
        if (!Consume("true")) return Fail("invalid literal");
        out = JsonValue::Bool(true);
        return true;
      case 'f':
        if (!Consume("false")) return Fail("invalid literal");
        out = JsonValue::Bool(false);
        return true;
      case 'n':
        if (!Consume("null")) return Fail("invalid literal");
        out = JsonValue();
        return true;
      default:
        if (text_[pos_] == '-' || IsDigit(text_[pos_])) return ParseNumberValue(out);
        return Fail("expected a value");
    }
  }

  bool ParseObject(JsonValue& out, std::size_t depth) {
    if (depth > max_depth_) return Fail("nested deeper than " + std::to_string(max_depth_));
    ++pos_;  // '{'
    JsonValue::Object members;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      out = JsonValue::MakeObject(std::move(members));
      return true;
    }
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return Fail("expected a member name");
      auto& member = members.emplace_back();
      if (!ParseString(member.first)) return false;
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ':') return Fail("expected ':'");
      ++pos_;
      SkipSpace();
      if (!ParseValue(member.second, depth)) return false;
      SkipSpace();
      if (pos_ >= text_.size()) return Fail("expected ',' or '}', found the end of the text");
      const char c = text_[pos_++];
      if (c == '}') break;
      if (c != ',') {
        --pos_;
        return Fail("expected ',' or '}'");
      }
    }
    out = JsonValue::MakeObject(std::move(members));
    return true;
  }

  bool ParseArray(JsonValue& out, std::size_t depth) {
    if (depth > max_depth_) return Fail("nested deeper than " + std::to_string(max_depth_));
    ++pos_;  // '['
    JsonValue::Array elements;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      out = JsonValue::MakeArray(std::move(elements));
      return true;
    }
    while (true) {
      SkipSpace();
      if (!ParseValue(elements.emplace_back(), depth)) return false;
      SkipSpace();
      if (pos_ >= text_.size()) return Fail("expected ',' or ']', found the end of the text");
      const char c = text_[pos_++];
      if (c == ']') break;
      if (c != ',') {
        --pos_;
        return Fail("expected ',' or ']'");
      }
    }
    out = JsonValue::MakeArray(std::move(elements));
    return true;
  }

  bool ParseString(std::string& out) {
    ++pos_;  // '"'
    // The closing quote is the first '"' not escaped: find it first, so the
    // body is decoded in one call.
    std::size_t end = pos_;
    while (true) {
      end = text_.find_first_of("\"\\", end);
      if (end == std::string_view::npos) {
        pos_ = text_.size();
        return Fail("unterminated string");
      }
      if (text_[end] == '"') break;
      end += 2;  // a backslash and the character it escapes
      if (end > text_.size()) {
        pos_ = text_.size();
        return Fail("unterminated string");
      }
    }
    JsonStringError error;
    if (!AppendJsonUnescaped(text_.substr(pos_, end - pos_), out, limits_.validate_utf8, &error)) {
      pos_ += error.offset;
      return Fail(error.what);
    }
    pos_ = end + 1;
    return true;
  }

  bool ParseNumberValue(JsonValue& out) {
    const std::size_t start = pos_;
    if (text_[pos_] == '-') ++pos_;
    if (pos_ >= text_.size() || !IsDigit(text_[pos_])) return Fail("expected a digit");
    std::int64_t magnitude = 0;  // decimal position of the first significant digit
    if (text_[pos_] == '0') {
      ++pos_;
      if (pos_ < text_.size() && IsDigit(text_[pos_])) return Fail("leading zero in a number");
    } else {
      while (pos_ < text_.size() && IsDigit(text_[pos_])) {
        ++pos_;
        ++magnitude;
      }
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (pos_ >= text_.size() || !IsDigit(text_[pos_])) return Fail("expected a digit after '.'");
      const bool integer_zero = magnitude == 0;
      bool significant = false;
      while (pos_ < text_.size() && IsDigit(text_[pos_])) {
        if (integer_zero && !significant) {
          if (text_[pos_] == '0') {
            --magnitude;
          } else {
            significant = true;
          }
        }
        ++pos_;
      }
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      bool negative = false;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) {
        negative = text_[pos_] == '-';
        ++pos_;
      }
      if (pos_ >= text_.size() || !IsDigit(text_[pos_])) {
        return Fail("expected a digit in the exponent");
      }
      std::int64_t exponent = 0;
      while (pos_ < text_.size() && IsDigit(text_[pos_])) {
        exponent = std::min<std::int64_t>(exponent * 10 + (text_[pos_] - '0'), 1'000'000);
        ++pos_;
      }
      magnitude += negative ? -exponent : exponent;
    }
    const std::string_view number = text_.substr(start, pos_ - start);
    double value = 0;
    const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec == std::errc::result_out_of_range) {
      // Too large is an error (no JSON number is infinite); too small is 0.
      if (magnitude > 0) {
        pos_ = start;
        return Fail("number out of range");
      }
      value = number[0] == '-' ? -0.0 : 0.0;
    } else if (ec != std::errc() || ptr != number.data() + number.size()) {
      pos_ = start;
      return Fail("invalid number");
    }
    out = JsonValue::Number(value, std::string(number));
    return true;
  }

  std::string_view text_;
  const JsonLimits& limits_;
  const std::size_t max_depth_;
  std::size_t pos_ = 0;
  std::size_t values_ = 0;
  std::string error_;
};

}  // namespace

Result<JsonValue> ParseJson(std::string_view text, JsonLimits limits) {
  return Parser(text, limits).ParseDocument();
}

}  // namespace vms
