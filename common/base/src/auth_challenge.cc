#include "vms/base/auth_challenge.h"

#include <cctype>
#include <optional>

#include "vms/base/text.h"

namespace vms {
namespace {

bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsToken68Char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("-._~+/").find(c) != std::string_view::npos;
}

// A cursor over a header value.
class Tokenizer {
 public:
  explicit Tokenizer(std::string_view s) : s_(s) {}
  void SkipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
  }
  bool AtEnd() {
    SkipSpace();
    return pos_ >= s_.size();
  }
  bool Consume(char c) {
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::string_view Token() {
    SkipSpace();
    const std::size_t start = pos_;
    while (pos_ < s_.size() && IsTokenChar(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }
  // A token68 with at least one '=' of padding, ending the challenge (end of
  // value or a comma next); nothing is consumed otherwise.
  std::optional<std::string_view> PaddedToken68() {
    SkipSpace();
    std::size_t end = pos_;
    while (end < s_.size() && IsToken68Char(s_[end])) ++end;
    if (end == pos_) return std::nullopt;
    std::size_t padded = end;
    while (padded < s_.size() && s_[padded] == '=') ++padded;
    if (padded == end) return std::nullopt;
    std::size_t next = padded;
    while (next < s_.size() && (s_[next] == ' ' || s_[next] == '\t')) ++next;
    if (next < s_.size() && s_[next] != ',') return std::nullopt;
    const std::string_view out = s_.substr(pos_, padded - pos_);
    pos_ = padded;
    return out;
  }
  // A token or a quoted string (with backslash escapes).
  std::optional<std::string> Value() {
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == '"') {
      ++pos_;
      std::string out;
      while (pos_ < s_.size() && s_[pos_] != '"') {
        if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) ++pos_;
        out.push_back(s_[pos_++]);
      }
      if (pos_ >= s_.size()) return std::nullopt;
      ++pos_;
      return out;
    }
    return std::string(Token());
  }
  std::size_t pos() const { return pos_; }
  void set_pos(std::size_t pos) { pos_ = pos; }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

const std::string* Challenge::Param(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (EqualsNoCase(key, name)) return &value;
  }
  return nullptr;
}

std::vector<Challenge> ParseChallenges(std::string_view header_value) {
  std::vector<Challenge> out;
  Tokenizer t(header_value);
  while (!t.AtEnd()) {
    if (t.Consume(',')) continue;
    const std::string_view scheme = t.Token();
    if (scheme.empty()) break;  // junk: keep what was parsed
    Challenge challenge;
    challenge.scheme = std::string(scheme);
    if (const auto token68 = t.PaddedToken68()) {
      challenge.token68 = std::string(*token68);
      out.push_back(std::move(challenge));
      continue;
    }
    // auth-params until the next scheme: a token followed by something other
    // than '=' starts a new challenge.
    bool ok = true;
    while (!t.AtEnd()) {
      const std::size_t mark = t.pos();
      if (t.Consume(',')) continue;
      const std::string_view name = t.Token();
      if (name.empty() || !t.Consume('=')) {
        t.set_pos(mark);
        break;
      }
      std::optional<std::string> value = t.Value();
      if (!value) {
        ok = false;
        break;
      }
      challenge.params.emplace_back(std::string(name), std::move(*value));
    }
    if (!ok) break;
    out.push_back(std::move(challenge));
  }
  return out;
}

}  // namespace vms
