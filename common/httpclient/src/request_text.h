#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vms/base/status.h"
#include "vms/httpclient/http_url.h"

namespace vms::internal {

struct RequestParts {
  std::string_view method{};
  const HttpUrl* url = nullptr;
  const std::vector<std::pair<std::string, std::string>>* headers = nullptr;
  std::string_view body{};
  std::string_view user_agent{};
  std::string_view authorization{};  // the header's value; empty: none
};

// A method and headers that cannot split or smuggle a request: a token for
// the method and names, no CR, LF or NUL in values, none of the headers the
// client owns. The error names the header, never its value.
Status CheckRequestHeaders(std::string_view method,
                           const std::vector<std::pair<std::string, std::string>>& headers);

// The HTTP/1.1 request, Connection: close, a body with its Content-Length.
// Headers given replace Host, User-Agent, Accept and Authorization.
Result<std::string> BuildRequestText(const RequestParts& parts);

// "Basic base64(user:password)".
std::string BasicAuthorization(std::string_view user, std::string_view password);

}  // namespace vms::internal
