#pragma once

#include <charconv>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace vms {

// Small pieces the byte parsers (/proc files, RTSP, SDP, mountinfo) share.

// ASCII case-insensitive equality (header names, codec names).
bool EqualsNoCase(std::string_view a, std::string_view b);
// ASCII case-insensitive prefix test (URL schemes).
bool StartsWithNoCase(std::string_view s, std::string_view prefix);

// Without leading and trailing white space (space, tab, CR, LF, VT, FF).
std::string_view Trim(std::string_view s);

// The fields of a line separated by runs of spaces and tabs.
std::vector<std::string_view> SplitWhitespace(std::string_view line);

// Takes the next line off `text` (without its '\n'); false when none is left.
bool NextLine(std::string_view& text, std::string_view& line);

// Standard base64 with padding (RFC 4648 section 4), as Basic auth sends it.
std::string EncodeBase64(std::string_view bytes);

// The whole of `s` as a number (no sign or space tolerated beyond what
// std::from_chars accepts); false if any character is left over.
template <typename T>
bool ParseNumber(std::string_view s, T& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

// The value of one hex digit (0-9, a-f, A-F), or -1 (percent-encoding,
// \xHH and \uXXXX escapes).
int HexDigitValue(char c);

// "2026-12-04 18:30:05Z": a moment in UTC, to the second, as the landing
// page's tables show it.
std::string FormatUtcSeconds(std::chrono::system_clock::time_point t);

}  // namespace vms
