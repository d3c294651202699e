#include "vms/rtsp/rtsp_response.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "vms/base/text.h"

namespace vms {
namespace {

RtspResponseParse Malformed(std::string error) {
  RtspResponseParse out;
  out.outcome = RtspResponseParse::Outcome::kMalformed;
  out.error = std::move(error);
  return out;
}

// Finds the blank line ending the header section; accepts bare LF line ends,
// which some cameras send. Returns {end of headers, start of body}.
std::pair<std::size_t, std::size_t> FindHeaderEnd(std::string_view bytes) {
  for (std::size_t i = bytes.find('\n'); i != std::string_view::npos; i = bytes.find('\n', i + 1)) {
    if (i + 1 < bytes.size() && bytes[i + 1] == '\n') return {i + 1, i + 2};
    if (i + 2 < bytes.size() && bytes[i + 1] == '\r' && bytes[i + 2] == '\n') {
      return {i + 1, i + 3};
    }
  }
  return {std::string_view::npos, std::string_view::npos};
}

}  // namespace

std::string_view RtspResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsNoCase(key, name)) return value;
  }
  return {};
}

bool RtspResponse::HasHeader(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return EqualsNoCase(h.first, name); });
}

std::vector<std::string_view> RtspResponse::Headers(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [key, value] : headers) {
    if (EqualsNoCase(key, name)) out.push_back(value);
  }
  return out;
}

RtspResponseParse ParseRtspResponse(std::string_view bytes, const RtspResponseLimits& limits) {
  constexpr std::string_view kVersion = "RTSP/";
  // Garbage is rejected on its first bytes, before a line is complete, so a
  // non-RTSP peer is classified at once rather than at the deadline.
  const std::size_t prefix = std::min(bytes.size(), kVersion.size());
  if (bytes.substr(0, prefix) != kVersion.substr(0, prefix)) {
    return Malformed("response does not start with RTSP/");
  }

  const auto [header_end, body_start] = FindHeaderEnd(bytes);
  if (header_end == std::string_view::npos) {
    if (bytes.size() > limits.max_header_bytes) {
      return Malformed("response headers exceed " + std::to_string(limits.max_header_bytes) +
                       " bytes");
    }
    return {};
  }
  if (header_end > limits.max_header_bytes) {
    return Malformed("response headers exceed " + std::to_string(limits.max_header_bytes) +
                     " bytes");
  }

  RtspResponse response;
  std::string_view head = bytes.substr(0, header_end);
  const std::size_t first_eol = head.find('\n');
  const std::string_view status_line = Trim(head.substr(0, first_eol));
  head.remove_prefix(first_eol + 1);

  // RTSP/1.0 SP 3DIGIT SP reason
  const std::size_t sp = status_line.find(' ');
  if (sp == std::string_view::npos || status_line.substr(0, sp) != "RTSP/1.0") {
    if (sp != std::string_view::npos && status_line.substr(0, sp) == "RTSP/2.0") {
      return Malformed("RTSP/2.0 is not supported");
    }
    return Malformed("bad RTSP status line");
  }
  const std::string_view code = status_line.substr(sp + 1, 3);
  if (code.size() != 3 ||
      !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Malformed("bad RTSP status code");
  }
  response.status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
  if (response.status < 100) return Malformed("bad RTSP status code");
  const std::string_view after_code = status_line.substr(sp + 1 + 3);
  if (!after_code.empty() && after_code.front() != ' ') return Malformed("bad RTSP status code");
  response.reason = std::string(Trim(after_code));

  while (!head.empty()) {
    const std::size_t eol = head.find('\n');
    std::string_view line = head.substr(0, eol);
    head.remove_prefix(eol == std::string_view::npos ? head.size() : eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.front() == ' ' || line.front() == '\t') {
      // Obsolete line folding continues the previous header's value.
      if (response.headers.empty()) return Malformed("header continuation without a header");
      response.headers.back().second += ' ';
      response.headers.back().second += Trim(line);
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return Malformed("bad RTSP header line");
    const std::string_view name = Trim(line.substr(0, colon));
    if (name.find_first_of(" \t") != std::string_view::npos) {
      return Malformed("bad RTSP header name");
    }
    response.headers.emplace_back(std::string(name), std::string(Trim(line.substr(colon + 1))));
  }

  std::size_t content_length = 0;
  if (const auto cl = response.Headers("Content-Length"); !cl.empty()) {
    const std::string_view text = cl.front();
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), content_length);
    if (ec == std::errc::result_out_of_range) {
      return Malformed("body exceeds " + std::to_string(limits.max_body_bytes) + " bytes");
    }
    if (ec != std::errc() || end != text.data() + text.size()) {
      return Malformed("bad Content-Length");
    }
    for (const auto other : cl) {
      if (other != text) return Malformed("conflicting Content-Length headers");
    }
  }
  if (content_length > limits.max_body_bytes) {
    return Malformed("body exceeds " + std::to_string(limits.max_body_bytes) + " bytes");
  }
  if (bytes.size() - body_start < content_length) return {};

  RtspResponseParse out;
  out.outcome = RtspResponseParse::Outcome::kComplete;
  response.body = std::string(bytes.substr(body_start, content_length));
  out.response = std::move(response);
  out.consumed = body_start + content_length;
  return out;
}

}  // namespace vms
