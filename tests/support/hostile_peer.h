#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

namespace vms::test {

// A TCP peer on the loopback (127.0.0.1, or [::1]) run by a thread, for the
// misbehaviour real servers will not act out: `serve` gets each accepted
// socket in turn, and `stop` turns true when the peer is destroyed, so a
// stalling `serve` must poll it. The socket is closed after `serve`.
class HostilePeer {
 public:
  using Serve = std::function<void(int fd, std::atomic<bool>& stop)>;
  explicit HostilePeer(Serve serve, bool ipv6 = false);
  ~HostilePeer();
  HostilePeer(const HostilePeer&) = delete;
  HostilePeer& operator=(const HostilePeer&) = delete;

  unsigned short port() const { return port_; }
  int connections() const { return connections_; }

  // Reads one request head (to the blank line); false if the other side went
  // away or `stop` was set.
  static bool ReadRequest(int fd, std::atomic<bool>& stop, std::string* request = nullptr);
  static bool WriteAll(int fd, std::string_view data);
  // Reads and drops whatever comes until the other side closes (true) or
  // `stop` (false).
  static bool WaitForClose(int fd, std::atomic<bool>& stop);

 private:
  Serve serve_;
  int listen_fd_ = -1;
  unsigned short port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

// Whether this machine can listen on [::1] (containers may have no IPv6).
bool HasIpv6Loopback();

}  // namespace vms::test
