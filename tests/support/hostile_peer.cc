#include "support/hostile_peer.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vms::test {
namespace {

// Binds a listening socket to port 0 of the loopback; -1 on failure.
int ListenOnLoopback(bool ipv6, unsigned short* port) {
  const int fd = ::socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_storage storage{};
  socklen_t len = 0;
  if (ipv6) {
    auto* addr = reinterpret_cast<sockaddr_in6*>(&storage);
    addr->sin6_family = AF_INET6;
    addr->sin6_addr = in6addr_loopback;
    len = sizeof(sockaddr_in6);
  } else {
    auto* addr = reinterpret_cast<sockaddr_in*>(&storage);
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    len = sizeof(sockaddr_in);
  }
  auto* addr = reinterpret_cast<sockaddr*>(&storage);
  if (::bind(fd, addr, len) != 0 || ::listen(fd, 8) != 0 || ::getsockname(fd, addr, &len) != 0) {
    ::close(fd);
    return -1;
  }
  *port = ntohs(ipv6 ? reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port
                     : reinterpret_cast<sockaddr_in*>(&storage)->sin_port);
  return fd;
}

}  // namespace

HostilePeer::HostilePeer(Serve serve, bool ipv6) : serve_(std::move(serve)) {
  listen_fd_ = ListenOnLoopback(ipv6, &port_);
  if (listen_fd_ < 0) {
    ADD_FAILURE() << "cannot listen on the loopback: " << std::strerror(errno);
    return;
  }
  thread_ = std::thread([this] {
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      ++connections_;
      serve_(fd, stop_);
      ::close(fd);
    }
  });
}

HostilePeer::~HostilePeer() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

bool HostilePeer::ReadRequest(int fd, std::atomic<bool>& stop, std::string* request) {
  std::string data;
  char buf[1024];
  while (!stop && data.find("\r\n\r\n") == std::string::npos) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n <= 0) return false;
    data.append(buf, static_cast<std::size_t>(n));
  }
  if (request) *request = data;
  return !stop;
}

bool HostilePeer::WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool HostilePeer::WaitForClose(int fd, std::atomic<bool>& stop) {
  char buf[4096];
  while (!stop) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    if (::read(fd, buf, sizeof(buf)) <= 0) return true;
  }
  return false;
}

bool HasIpv6Loopback() {
  unsigned short port = 0;
  const int fd = ListenOnLoopback(true, &port);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

}  // namespace vms::test
