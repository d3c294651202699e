#include "support/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace vms::test {
namespace {

int Connect(unsigned short port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Reads into `buf` until `done(buf)` or timeout/EOF. Returns false on timeout.
template <typename Done>
bool ReadUntil(int fd, std::string& buf, std::chrono::milliseconds timeout, Done done, bool* eof) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  *eof = false;
  while (!done(buf)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        end - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char tmp[16384];
    const ssize_t n = ::read(fd, tmp, sizeof tmp);
    if (n <= 0) {
      *eof = true;
      return done(buf);
    }
    buf.append(tmp, static_cast<std::size_t>(n));
  }
  return true;
}

HttpReply ParseHead(const std::string& head) {
  HttpReply r;
  std::size_t pos = head.find("\r\n");
  const std::string status_line = head.substr(0, pos);
  if (status_line.size() >= 12) r.status = std::atoi(status_line.substr(9, 3).c_str());
  while (pos != std::string::npos && pos + 2 < head.size()) {
    const std::size_t next = head.find("\r\n", pos + 2);
    const std::string line = head.substr(pos + 2, next - pos - 2);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers[name] = value;
    }
    pos = next;
  }
  return r;
}

}  // namespace

std::string BasicAuthorization(const std::string& user_colon_password) {
  std::string out(4 * ((user_colon_password.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(user_colon_password.data()),
                                static_cast<int>(user_colon_password.size()));
  out.resize(static_cast<std::size_t>(n));
  return "Basic " + out;
}

RawConnection::RawConnection(unsigned short port) : fd_(Connect(port)) {
  if (fd_ >= 0) {
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::Send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

HttpReply RawConnection::ReadResponse(std::chrono::milliseconds timeout) {
  bool eof = false;
  const auto head_done = [](const std::string& b) {
    return b.find("\r\n\r\n") != std::string::npos;
  };
  if (!ReadUntil(fd_, pending_, timeout, head_done, &eof)) {
    HttpReply r;
    r.error = eof ? "connection closed" : "timed out waiting for headers";
    return r;
  }
  const std::size_t head_end = pending_.find("\r\n\r\n");
  HttpReply r = ParseHead(pending_.substr(0, head_end));
  if (auto te = r.headers.find("transfer-encoding");
      te != r.headers.end() && te->second.find("chunked") != std::string::npos) {
    pending_.erase(0, head_end + 4);
    // Each chunk: hex size line, data, CRLF; a zero-size chunk ends the body.
    for (;;) {
      const auto line_done = [](const std::string& b) {
        return b.find("\r\n") != std::string::npos;
      };
      if (!ReadUntil(fd_, pending_, timeout, line_done, &eof)) {
        r.error = "timed out in chunked body";
        return r;
      }
      const std::size_t eol = pending_.find("\r\n");
      const std::size_t size = std::stoul(pending_.substr(0, eol), nullptr, 16);
      const std::size_t need = eol + 2 + size + 2;
      const auto chunk_done = [need](const std::string& b) { return b.size() >= need; };
      if (!ReadUntil(fd_, pending_, timeout, chunk_done, &eof)) {
        r.error = "timed out in chunked body";
        return r;
      }
      r.body.append(pending_, eol + 2, size);
      pending_.erase(0, need);
      if (size == 0) return r;
    }
  }
  std::size_t length = 0;
  if (auto it = r.headers.find("content-length"); it != r.headers.end()) {
    length = std::stoul(it->second);
  }
  const std::size_t total = head_end + 4 + length;
  const auto body_done = [total](const std::string& b) { return b.size() >= total; };
  if (!ReadUntil(fd_, pending_, timeout, body_done, &eof)) {
    r.error = "timed out waiting for body";
    return r;
  }
  r.body = pending_.substr(head_end + 4, length);
  pending_.erase(0, total);
  return r;
}

bool RawConnection::WaitClosed(std::chrono::milliseconds timeout) {
  bool eof = false;
  std::string sink;
  ReadUntil(
      fd_, sink, timeout, [](const std::string&) { return false; }, &eof);
  return eof;
}

namespace {

HttpReply RequestOnce(unsigned short port, const std::string& method, const std::string& path,
                      const std::map<std::string, std::string>& headers, const std::string* body,
                      std::chrono::milliseconds timeout) {
  RawConnection conn(port);
  if (!conn.connected()) {
    HttpReply r;
    r.error = "connect failed";
    return r;
  }
  std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (body != nullptr) {
    req += "Content-Length: " + std::to_string(body->size()) + "\r\n\r\n" + *body;
  } else {
    if (method == "POST") req += "Content-Length: 0\r\n";
    req += "\r\n";
  }
  if (!conn.Send(req)) {
    HttpReply r;
    r.error = "send failed";
    return r;
  }
  return conn.ReadResponse(timeout);
}

}  // namespace

HttpReply HttpRequestOnce(unsigned short port, const std::string& method, const std::string& path,
                          const std::map<std::string, std::string>& headers,
                          std::chrono::milliseconds timeout) {
  return RequestOnce(port, method, path, headers, nullptr, timeout);
}

HttpReply HttpPost(unsigned short port, const std::string& path, const std::string& body,
                   const std::map<std::string, std::string>& headers,
                   std::chrono::milliseconds timeout) {
  return RequestOnce(port, "POST", path, headers, &body, timeout);
}

}  // namespace vms::test
