#pragma once

#include <memory>
#include <string_view>

#include <boost/asio/ssl/context.hpp>

namespace vms {

// What --web.config.file decides for each connection and request. The server
// asks for the TLS context at accept time (so a rotated certificate applies to
// the next connection) and checks credentials on a worker thread (bcrypt is
// slow by design and must not run on the event loop).
class WebSecurity {
 public:
  virtual ~WebSecurity() = default;
  // nullptr: serve plain HTTP.
  virtual std::shared_ptr<boost::asio::ssl::context> TlsContext() = 0;
  // True if the request may proceed. `authorization` is the raw
  // Authorization header, empty when absent.
  virtual bool Authorize(std::string_view authorization) = 0;
};

}  // namespace vms
