#pragma once

#include <chrono>
#include <map>
#include <string>

namespace vms::test {

struct HttpReply {
  int status = 0;                              // 0: no response (connect or read failed)
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string error;
};

// One blocking HTTP/1.1 request to 127.0.0.1:port over a new connection.
HttpReply HttpRequestOnce(unsigned short port, const std::string& method, const std::string& path,
                          const std::map<std::string, std::string>& headers = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(10));

inline HttpReply HttpGet(unsigned short port, const std::string& path,
                         const std::map<std::string, std::string>& headers = {}) {
  return HttpRequestOnce(port, "GET", path, headers);
}

// One blocking POST of `body` (sent as is, with its Content-Length).
HttpReply HttpPost(unsigned short port, const std::string& path, const std::string& body,
                   const std::map<std::string, std::string>& headers = {},
                   std::chrono::milliseconds timeout = std::chrono::seconds(10));

// "Basic base64(user:password)", an Authorization header value.
std::string BasicAuthorization(const std::string& user_colon_password);

// A raw TCP connection for tests that need to misbehave (half-sent requests,
// several requests on one connection).
class RawConnection {
 public:
  explicit RawConnection(unsigned short port);
  ~RawConnection();
  bool connected() const { return fd_ >= 0; }
  bool Send(const std::string& bytes);
  // Reads one HTTP response (headers + Content-Length body).
  HttpReply ReadResponse(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // True if the peer closed the connection within `timeout`.
  bool WaitClosed(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
  std::string pending_;
};

}  // namespace vms::test
