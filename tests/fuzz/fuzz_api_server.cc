// The API server's parsers of what its peers send, on arbitrary bytes; the
// first byte picks one: a health endpoint's body (ParseHealthBody, then the
// check names it would put in labels), an nginx-logged WWW-Authenticate
// value (ClassifyJwt's challenge reading), a request path matched against
// route templates, an OpenAPI document's paths.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api_server/api_request_rules.h"
#include "api_server/health_body.h"
#include "api_server/route_table.h"

namespace {

const vms::api_server::RouteTable& Routes() {
  static const vms::api_server::RouteTable routes =
      *vms::api_server::RouteTable::Make({"/api/cameras/:id", "/api/cameras/:id/recordings",
                                          "/api/cameras/{id}/live", "/api/login", "/health",
                                          "/static/*"});
  return routes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vms::api_server;
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0: {
      const auto body = ParseHealthBody(text);
      HealthCheckNames names({"database"}, 4);
      for (int i = 0; i < 2; ++i) (void)names.Update(body ? &*body : nullptr);
      break;
    }
    case 1: {
      vms::AccessRecord r;
      r.method = "GET";
      r.path = "/api/cameras/1";
      r.status = 401;
      r.auth_scheme = (data[0] & 4) ? std::optional<std::string>("Bearer") : std::nullopt;
      r.www_authenticate = std::string(text);
      (void)ClassifyJwt(r, true, true);
      break;
    }
    case 2:
      (void)Routes().Match(text);
      break;
    case 3:
      (void)OpenApiRoutes(std::string(text), "fuzz.yaml", "/api");
      break;
  }
  return 0;
}
