#include "vms/httpclient/http_client_result.h"

#include "vms/base/text.h"

namespace vms {

std::string_view HttpFailureName(HttpFailure failure) {
  switch (failure) {
    case HttpFailure::kNone:
      return "none";
    case HttpFailure::kRequest:
      return "request";
    case HttpFailure::kResolve:
      return "resolve";
    case HttpFailure::kConnect:
      return "connect";
    case HttpFailure::kTls:
      return "tls";
    case HttpFailure::kTimeout:
      return "timeout";
    case HttpFailure::kProtocol:
      return "protocol";
    case HttpFailure::kBodyTooLarge:
      return "body_too_large";
    case HttpFailure::kRedirects:
      return "redirects";
    case HttpFailure::kStatus:
      return "status";
    case HttpFailure::kBody:
      return "body";
  }
  return "unknown";
}

std::string_view HttpPhaseName(HttpPhase phase) {
  switch (phase) {
    case HttpPhase::kResolve:
      return "resolve";
    case HttpPhase::kConnect:
      return "connect";
    case HttpPhase::kTls:
      return "tls";
    case HttpPhase::kProcessing:
      return "processing";
    case HttpPhase::kTransfer:
      return "transfer";
  }
  return "unknown";
}

void HttpHeaders::Add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string_view> HttpHeaders::Get(std::string_view name) const {
  for (const auto& [n, v] : fields_) {
    if (EqualsNoCase(n, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::vector<std::string_view> HttpHeaders::GetAll(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [n, v] : fields_) {
    if (EqualsNoCase(n, name)) out.emplace_back(v);
  }
  return out;
}

}  // namespace vms
