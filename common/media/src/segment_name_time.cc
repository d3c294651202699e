#include "vms/media/segment_name_time.h"

#include <cctype>
#include <cstddef>
#include <ctime>

namespace vms::media {
namespace {

// Pattern characters: 'd' a digit, anything else itself.
bool Matches(std::string_view s, std::size_t at, std::string_view pattern) {
  if (at + pattern.size() > s.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = s[at + i];
    if (pattern[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(c)) : c != pattern[i]) {
      return false;
    }
  }
  // A longer digit run is some other number (a sequence, an epoch in ms).
  const bool digit_before = at > 0 && std::isdigit(static_cast<unsigned char>(s[at - 1]));
  const std::size_t end = at + pattern.size();
  const bool digit_after = end < s.size() && std::isdigit(static_cast<unsigned char>(s[end]));
  return !digit_before && !digit_after;
}

int Number(std::string_view s, std::size_t at, std::size_t len) {
  int v = 0;
  for (std::size_t i = 0; i < len; ++i) v = v * 10 + (s[at + i] - '0');
  return v;
}

std::optional<double> ToEpoch(int year, int month, int day, int hour, int minute, int second,
                              bool utc) {
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
      second > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  tm.tm_isdst = -1;  // let the zone rules decide, as strftime did when writing
  const std::time_t t = utc ? timegm(&tm) : std::mktime(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  return static_cast<double>(t);
}

}  // namespace

std::optional<double> ParseSegmentNameTime(std::string_view name, bool utc) {
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (Matches(name, i, "dddddddd-dddddd")) {
      return ToEpoch(Number(name, i, 4), Number(name, i + 4, 2), Number(name, i + 6, 2),
                     Number(name, i + 9, 2), Number(name, i + 11, 2), Number(name, i + 13, 2), utc);
    }
    if (Matches(name, i, "dddd-dd-dd_dd-dd-dd")) {
      return ToEpoch(Number(name, i, 4), Number(name, i + 5, 2), Number(name, i + 8, 2),
                     Number(name, i + 11, 2), Number(name, i + 14, 2), Number(name, i + 17, 2),
                     utc);
    }
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    // Ten digits cover 2001-09-09 .. 2286: every plausible recording time.
    if (Matches(name, i, "dddddddddd") && name[i] != '0') {
      double v = 0;
      for (std::size_t k = 0; k < 10; ++k) v = v * 10 + (name[i + k] - '0');
      return v;
    }
  }
  return std::nullopt;
}

}  // namespace vms::media
