#include "vms/json/json_string.h"

#include <cstdint>

#include "vms/base/text.h"

namespace vms {
namespace {

bool Fail(JsonStringError* error, std::size_t offset, std::string_view what) {
  if (error != nullptr) *error = {offset, what};
  return false;
}

// The four hex digits at body[at..at+4), or -1.
long ReadHex4(std::string_view body, std::size_t at) {
  if (at + 4 > body.size()) return -1;
  long v = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const int d = HexDigitValue(body[at + i]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

void AppendUtf8(std::uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// The length of the valid UTF-8 sequence starting at body[at] (a byte >=
// 0x80), or 0 (RFC 3629's table: no overlongs, no surrogates, <= U+10FFFF).
std::size_t Utf8SequenceLength(std::string_view body, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(body[at + i]); };
  const auto cont = [&](std::size_t i, unsigned lo = 0x80, unsigned hi = 0xBF) {
    return at + i < body.size() && byte(i) >= lo && byte(i) <= hi;
  };
  const unsigned b0 = byte(0);
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
  if (b0 == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
  if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (b0 == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (b0 == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xF1 && b0 <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

}  // namespace

bool AppendJsonUnescaped(std::string_view body, std::string& out, bool validate_utf8,
                         JsonStringError* error) {
  out.reserve(out.size() + body.size());
  std::size_t i = 0;
  while (i < body.size()) {
    // Plain bytes are copied in runs: most strings have no escapes at all.
    std::size_t run = i;
    while (run < body.size()) {
      const auto c = static_cast<unsigned char>(body[run]);
      if (c == '\\' || c == '"' || c < 0x20 || (c >= 0x80 && validate_utf8)) break;
      ++run;
    }
    out.append(body.data() + i, run - i);
    i = run;
    if (i == body.size()) break;
    const auto c = static_cast<unsigned char>(body[i]);
    if (c >= 0x80) {
      const std::size_t n = Utf8SequenceLength(body, i);
      if (n == 0) return Fail(error, i, "invalid UTF-8 in a string");
      out.append(body.data() + i, n);
      i += n;
      continue;
    }
    if (c == '"') return Fail(error, i, "unescaped '\"' in a string");
    if (c < 0x20) return Fail(error, i, "raw control character in a string");
    // A backslash.
    if (i + 1 >= body.size()) return Fail(error, i, "escape at the end of a string");
    const char e = body[i + 1];
    switch (e) {
      case '"':
      case '\\':
      case '/':
        out.push_back(e);
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'u': {
        const long unit = ReadHex4(body, i + 2);
        if (unit < 0) return Fail(error, i, "invalid \\u escape");
        std::uint32_t cp = static_cast<std::uint32_t>(unit);
        if (cp >= 0xDC00 && cp <= 0xDFFF) return Fail(error, i, "lone low surrogate");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          if (body.substr(i + 6, 2) != "\\u") return Fail(error, i, "lone high surrogate");
          const long low = ReadHex4(body, i + 8);
          if (low < 0) return Fail(error, i + 6, "invalid \\u escape");
          if (low < 0xDC00 || low > 0xDFFF) {
            return Fail(error, i + 6, "high surrogate not followed by a low one");
          }
          cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<std::uint32_t>(low) - 0xDC00);
          i += 6;
        }
        AppendUtf8(cp, out);
        i += 6;
        continue;
      }
      default:
        return Fail(error, i, "invalid escape in a string");
    }
    i += 2;
  }
  return true;
}

}  // namespace vms
