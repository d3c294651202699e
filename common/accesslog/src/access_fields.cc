#include "access_fields.h"

#include <array>
#include <cstdint>

#include "vms/base/text.h"

namespace vms::accesslog_internal {
namespace {

bool TwoDigits(std::string_view s, std::size_t at, int& out) {
  if (at + 2 > s.size() || s[at] < '0' || s[at] > '9' || s[at + 1] < '0' || s[at + 1] > '9') {
    return false;
  }
  out = (s[at] - '0') * 10 + (s[at + 1] - '0');
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool ValidDateTime(int year, int month, int day, int hour, int minute, int second) {
  static constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return year >= 1970 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= kDays[month - 1] && hour <= 23 && minute <= 59 && second <= 60;
}

double UnixSeconds(int year, int month, int day, int hour, int minute, int second,
                   int offset_seconds) {
  const std::int64_t days =
      DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return static_cast<double>(days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds);
}

// "+0100", "-0530" (with_colon false) or "+01:00" (true).
bool ParseOffset(std::string_view s, bool with_colon, int& out) {
  if (s.size() != (with_colon ? 6u : 5u) || (s[0] != '+' && s[0] != '-')) return false;
  int hours = 0, minutes = 0;
  if (!TwoDigits(s, 1, hours)) return false;
  if (with_colon && s[3] != ':') return false;
  if (!TwoDigits(s, with_colon ? 4 : 3, minutes) || hours > 23 || minutes > 59) return false;
  out = (s[0] == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
  return true;
}

}  // namespace

bool ParseStatusCode(std::string_view s, int& out) {
  return s.size() == 3 && ParseNumber(s, out) && out >= 0;
}

bool ParseOptionalSeconds(std::string_view s, std::optional<double>& out) {
  out.reset();
  if (s.empty() || s == "-") return true;
  double v = 0;
  if (!ParseNumber(s, v) || !(v >= 0) || v > 1e12) return false;
  out = v;
  return true;
}

bool ParseUpstreamTimes(std::string_view s, std::optional<double>& out) {
  out.reset();
  if (s.empty() || s == "-") return true;
  double total = 0;
  while (!s.empty()) {
    const std::size_t sep = s.find_first_of(",:");
    const std::string_view part = Trim(s.substr(0, sep));
    s = sep == std::string_view::npos ? std::string_view() : s.substr(sep + 1);
    if (part == "-") continue;
    double v = 0;
    if (!ParseNumber(part, v) || !(v >= 0) || v > 1e12) return false;
    total += v;
  }
  out = total;
  return true;
}

bool ParseOptionalPort(std::string_view s, std::optional<std::uint16_t>& out) {
  out.reset();
  if (s.empty() || s == "-") return true;
  std::uint16_t port = 0;
  if (!ParseNumber(s, port)) return false;
  out = port;
  return true;
}

bool ParseTimeLocal(std::string_view s, double& out) {
  // 03/Dec/2026:13:40:41 +0000
  static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  if (s.size() != 26 || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[14] != ':' ||
      s[17] != ':' || s[20] != ' ') {
    return false;
  }
  int day = 0, year_hi = 0, year_lo = 0, hour = 0, minute = 0, second = 0, offset = 0;
  const std::size_t month_at = kMonths.find(s.substr(3, 3));
  if (month_at == std::string_view::npos || month_at % 3 != 0) return false;
  if (!TwoDigits(s, 0, day) || !TwoDigits(s, 7, year_hi) || !TwoDigits(s, 9, year_lo) ||
      !TwoDigits(s, 12, hour) || !TwoDigits(s, 15, minute) || !TwoDigits(s, 18, second) ||
      !ParseOffset(s.substr(21), false, offset)) {
    return false;
  }
  const int year = year_hi * 100 + year_lo;
  const int month = static_cast<int>(month_at / 3) + 1;
  if (!ValidDateTime(year, month, day, hour, minute, second)) return false;
  out = UnixSeconds(year, month, day, hour, minute, second, offset);
  return true;
}

bool ParseTimeIso8601(std::string_view s, double& out) {
  // 2026-12-03T13:40:41[.123][Z|+00:00]
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
      s[13] != ':' || s[16] != ':') {
    return false;
  }
  int year_hi = 0, year_lo = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!TwoDigits(s, 0, year_hi) || !TwoDigits(s, 2, year_lo) || !TwoDigits(s, 5, month) ||
      !TwoDigits(s, 8, day) || !TwoDigits(s, 11, hour) || !TwoDigits(s, 14, minute) ||
      !TwoDigits(s, 17, second)) {
    return false;
  }
  std::string_view rest = s.substr(19);
  double fraction = 0;
  if (!rest.empty() && rest[0] == '.') {
    std::size_t n = 1;
    while (n < rest.size() && n <= 10 && rest[n] >= '0' && rest[n] <= '9') ++n;
    if (n == 1 || !ParseNumber(std::string_view(rest.data(), n), fraction)) return false;
    rest.remove_prefix(n);
  }
  int offset = 0;
  if (rest != "Z" && !ParseOffset(rest, true, offset)) return false;
  const int year = year_hi * 100 + year_lo;
  if (!ValidDateTime(year, month, day, hour, minute, second)) return false;
  out = UnixSeconds(year, month, day, hour, minute, second, offset) + fraction;
  return true;
}

void SetRequestTarget(std::string_view target, AccessRecord& out) {
  bool absolute = false;
  for (std::string_view scheme : {std::string_view("http://"), std::string_view("https://")}) {
    if (target.size() >= scheme.size() && EqualsNoCase(target.substr(0, scheme.size()), scheme)) {
      const std::size_t path = target.find_first_of("/?", scheme.size());
      target = path == std::string_view::npos ? std::string_view() : target.substr(path);
      absolute = true;
      break;
    }
  }
  const std::size_t q = target.find('?');
  out.path.assign(target.substr(0, q));
  if (absolute && out.path.empty()) out.path.assign(1, '/');  // "http://host?x" asks for "/"
  if (q == std::string_view::npos) {
    out.query.clear();
  } else {
    out.query.assign(target.substr(q + 1));
  }
}

void SetRequestLine(std::string_view request, AccessRecord& out) {
  out.method.clear();
  out.path.clear();
  out.query.clear();
  out.protocol.clear();
  const std::size_t sp1 = request.find(' ');
  if (sp1 == std::string_view::npos || sp1 == 0) return;
  const std::string_view method = request.substr(0, sp1);
  for (char c : method) {
    if (c < 'A' || c > 'Z') return;  // not a method nginx would have accepted
  }
  std::string_view rest = request.substr(sp1 + 1);
  const std::size_t sp2 = rest.rfind(' ');
  std::string_view target = rest;
  std::string_view protocol;
  if (sp2 != std::string_view::npos && rest.substr(sp2 + 1).starts_with("HTTP/")) {
    target = rest.substr(0, sp2);
    protocol = rest.substr(sp2 + 1);
  }
  if (target.empty()) return;
  out.method.assign(method);
  out.protocol.assign(protocol);
  SetRequestTarget(target, out);
}

void SetOptional(std::string_view s, std::optional<std::string>& out) {
  if (s.empty()) {
    out.reset();
  } else if (out) {
    out->assign(s);
  } else {
    out.emplace(s);
  }
}

}  // namespace vms::accesslog_internal
