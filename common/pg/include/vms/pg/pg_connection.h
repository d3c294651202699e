#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vms/pg/pg_error.h"
#include "vms/pg/pg_rows.h"

struct pg_conn;  // libpq's PGconn: only the sources include libpq-fe.h

namespace vms::pg {

struct PgConnectRequest {
  // libpq keywords and values (ParseConninfo); no password among them.
  std::vector<std::pair<std::string, std::string>> params{};
  std::string password{};  // given to libpq as "password"; never logged
  // Resolving the host names and libpq's whole startup (TCP, TLS,
  // authentication) end by then.
  std::chrono::steady_clock::time_point deadline{};
};

struct PgQuery {
  std::string sql{};
  // $1, $2, ... in text. Without any the simple query protocol is used, and
  // `sql` may hold several statements.
  std::vector<std::string> params{};
  // Sent first as SET statement_timeout when the session has another one;
  // 0 leaves the session's as it is.
  std::chrono::milliseconds statement_timeout{0};
  // The client-side deadline, for when the server does not answer even its
  // own statement_timeout: the connection is dropped then.
  std::chrono::steady_clock::time_point deadline{};
  std::size_t max_rows = 1000;  // rows kept; the rest are read and dropped
  // Prepared once per session (one statement, $n parameters allowed) and
  // executed by name from then on, so the server plans it once: for the
  // exporter's own statements, run every interval. Where the server forgets
  // it (a pooler in transaction mode, DISCARD ALL) that run fails and the
  // session stops preparing.
  bool prepare = false;
};

struct PgQueryResult {
  std::optional<PgError> error;  // the first error; rows are then incomplete
  PgRows rows;                   // of every statement, up to max_rows
  // From sending the statement to its last result, without the SET.
  std::chrono::duration<double> duration{};
};

// One PostgreSQL session driven by Asio without ever blocking the event loop:
// PQconnectStartParams and PQconnectPoll for the startup, PQsendQuery,
// PQflush, PQconsumeInput and PQgetResult in non-blocking mode for
// statements, with libpq's socket wrapped in a posix::stream_descriptor to
// wait for readiness. Host names are resolved beforehand with Asio's
// resolver (getaddrinfo on Asio's resolver thread) and handed to libpq as
// hostaddr, since libpq would resolve them with a blocking getaddrinfo.
//
// At a deadline the connection is dropped rather than cancelled with
// PQcancel: PQcancel opens a second connection with blocking calls, and the
// deadline only passes when the server did not answer its own
// statement_timeout (set for every query), so the cancel connection would
// most likely hang too; statement_timeout already stops the statement on the
// server, and the next operation reconnects.
//
// All methods on the io_context's thread; one operation at a time. Handlers
// run on that thread, and never after Close() or destruction.
class PgConnection : public std::enable_shared_from_this<PgConnection> {
 public:
  using ConnectHandler = std::function<void(std::optional<PgError>)>;
  using QueryHandler = std::function<void(PgQueryResult)>;

  static std::shared_ptr<PgConnection> Create(boost::asio::io_context& io);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Opens the session; a session already open is closed first.
  void Connect(PgConnectRequest request, ConnectHandler done);
  // Requires ready(). A failed statement leaves the session usable unless
  // the error was a timeout at the client deadline or a broken connection;
  // ready() tells.
  void Query(PgQuery query, QueryHandler done);
  // Drops the session at once; a pending handler is not called.
  void Close();

  // Connected and no operation in flight.
  bool ready() const { return state_ == State::kIdle; }
  bool busy() const {
    return state_ == State::kResolving || state_ == State::kConnecting ||
           state_ == State::kQuerying;
  }
  int backend_pid() const;

 private:
  enum class State { kClosed, kResolving, kConnecting, kIdle, kQuerying };
  enum class Phase { kSetTimeout, kPrepare, kStatement };
  // Statements a session keeps prepared at most; beyond them, unprepared.
  static constexpr std::size_t kMaxPrepared = 16;
  explicit PgConnection(boost::asio::io_context& io);

  // Connecting.
  void Resolve(std::size_t index);
  void StartLibpq();
  void PollConnect(int polling_status);
  void FailConnect(std::optional<PgError> error = std::nullopt);
  // Statements.
  void BeginQuery();
  void StartStatement();  // after the SET: prepares first if asked and not yet done
  // By name when `prepared` (the index in prepared_), else with the
  // extended protocol when there are parameters, the simple one otherwise.
  void Send(const std::string& sql, const std::vector<std::string>& params,
            std::optional<std::size_t> prepared = std::nullopt);
  void Flush();
  void ReadResults();
  void TakeResult(void* result);
  void PhaseDone();
  void FailQuery(PgErrorReason reason, std::string message, bool drop);
  void CompleteQuery();

  // Calls `then(readable)` once the socket is readable (`read`) or writable
  // (`write`), whichever comes first. Readiness is checked with a zero
  // timeout poll() (and OpenSSL's pending bytes) before waiting: Asio's epoll
  // registration is edge-triggered, and libpq may leave bytes unread.
  void WaitSocket(bool read, bool write, std::function<void(bool readable)> then);
  bool WrapSocket();  // (re)wraps PQsocket(); libpq may switch sockets while connecting
  void ReleaseSocket();
  void ArmDeadline(std::chrono::steady_clock::time_point deadline);
  void CloseLibpq();
  std::string Message() const;  // PQerrorMessage, sanitized

  boost::asio::io_context& io_;
  boost::asio::posix::stream_descriptor socket_;
  boost::asio::steady_timer deadline_timer_;
  boost::asio::ip::tcp::resolver resolver_;
  pg_conn* conn_ = nullptr;
  State state_ = State::kClosed;
  std::uint64_t op_ = 0;    // bumped by every operation and Close(): stale handlers see it
  std::uint64_t wait_ = 0;  // bumped by every socket wait
  std::chrono::milliseconds session_statement_timeout_{-1};  // -1: the server's default
  std::vector<std::string> prepared_;  // SQL prepared in this session, named vms_<index>
  bool prepare_off_ = false;           // the session lost a prepared statement: no more

  PgConnectRequest request_;
  // The conninfo's hosts when they are to be resolved, and each one's
  // addresses ("" for a Unix socket directory).
  std::vector<std::string> hosts_;
  std::vector<std::vector<std::string>> addresses_;
  ConnectHandler connect_done_;

  PgQuery query_;
  Phase phase_ = Phase::kStatement;
  PgQueryResult result_;
  bool drop_after_ = false;  // the session is unusable after this statement
  std::chrono::steady_clock::time_point statement_started_{};
  QueryHandler query_done_;
};

}  // namespace vms::pg
