#include "vms/pg/pg_connection.h"

#include <libpq-fe.h>
#include <openssl/ssl.h>
#include <poll.h>

#include <algorithm>
#include <boost/asio/post.hpp>

#include "libpq_params.h"

namespace vms::pg {
namespace {

using Clock = std::chrono::steady_clock;

// libpq prints server notices and warnings to stderr unless told otherwise;
// the probe has no use for them.
void DropNotice(void*, const PGresult*) {}

// The name of a session's index-th prepared statement.
std::string PreparedName(std::size_t index) { return "vms_" + std::to_string(index); }

}  // namespace

std::shared_ptr<PgConnection> PgConnection::Create(boost::asio::io_context& io) {
  return std::shared_ptr<PgConnection>(new PgConnection(io));
}

PgConnection::PgConnection(boost::asio::io_context& io)
    : io_(io), socket_(io), deadline_timer_(io), resolver_(io) {}

PgConnection::~PgConnection() { CloseLibpq(); }

int PgConnection::backend_pid() const { return conn_ ? PQbackendPID(conn_) : 0; }

void PgConnection::Close() {
  ++op_;
  deadline_timer_.cancel();
  resolver_.cancel();
  CloseLibpq();
  state_ = State::kClosed;
  connect_done_ = nullptr;
  query_done_ = nullptr;
}

void PgConnection::ReleaseSocket() {
  ++wait_;
  // libpq owns the descriptor: Asio must forget it, never close it.
  if (socket_.is_open()) socket_.release();
}

void PgConnection::CloseLibpq() {
  ReleaseSocket();
  if (conn_ != nullptr) {
    // In non-blocking mode PQfinish's Terminate message is a single send()
    // that does not wait; before the startup finished it sends nothing.
    PQfinish(conn_);
    conn_ = nullptr;
  }
  session_statement_timeout_ = std::chrono::milliseconds(-1);
  prepared_.clear();
  prepare_off_ = false;
}

bool PgConnection::WrapSocket() {
  ReleaseSocket();
  const int fd = PQsocket(conn_);
  if (fd < 0) return false;
  boost::system::error_code ec;
  socket_.assign(fd, ec);
  return !ec;
}

void PgConnection::ArmDeadline(Clock::time_point deadline) {
  deadline_timer_.expires_at(deadline);
  deadline_timer_.async_wait([weak = weak_from_this(), op = op_](boost::system::error_code ec) {
    auto self = weak.lock();
    if (ec || !self || op != self->op_) return;
    if (self->state_ == State::kResolving || self->state_ == State::kConnecting) {
      self->FailConnect(PgError{PgErrorReason::kTimeout, "",
                                "no session within the timeout (resolving, connecting or "
                                "authenticating)"});
    } else if (self->state_ == State::kQuerying) {
      self->FailQuery(PgErrorReason::kTimeout,
                      "no answer by the client deadline (statement_timeout did not end the "
                      "statement); connection dropped",
                      /*drop=*/true);
    }
  });
}

void PgConnection::WaitSocket(bool read, bool write, std::function<void(bool readable)> then) {
  const std::uint64_t op = op_;
  const std::uint64_t wait = ++wait_;
  bool readable = false;
  bool writable = false;
  if (read && PQsslInUse(conn_)) {
    // Decrypted bytes OpenSSL holds make no socket readable.
    auto* ssl = static_cast<SSL*>(PQsslStruct(conn_, "OpenSSL"));
    readable = ssl != nullptr && SSL_pending(ssl) > 0;
  }
  if (!readable) {
    pollfd p{PQsocket(conn_), static_cast<short>((read ? POLLIN : 0) | (write ? POLLOUT : 0)), 0};
    if (::poll(&p, 1, 0) > 0) {
      readable = read && (p.revents & (POLLIN | POLLHUP | POLLERR));
      writable = write && (p.revents & (POLLOUT | POLLHUP | POLLERR));
    }
  }
  auto weak = weak_from_this();
  if (readable || writable) {
    // Posted, not called: a long result must not recurse once per packet.
    boost::asio::post(io_, [weak, op, wait, readable, then = std::move(then)] {
      auto self = weak.lock();
      if (!self || op != self->op_ || wait != self->wait_) return;
      then(readable);
    });
    return;
  }
  auto shared_then = std::make_shared<std::function<void(bool)>>(std::move(then));
  auto on_ready = [weak, op, wait, shared_then](bool is_read) {
    return [weak, op, wait, shared_then, is_read](boost::system::error_code ec) {
      auto self = weak.lock();
      if (ec || !self || op != self->op_ || wait != self->wait_) return;
      ++self->wait_;  // the other wait, if any, is stale now
      boost::system::error_code ignored;
      self->socket_.cancel(ignored);
      (*shared_then)(is_read);
    };
  };
  using boost::asio::posix::descriptor_base;
  if (read) socket_.async_wait(descriptor_base::wait_read, on_ready(true));
  if (write) socket_.async_wait(descriptor_base::wait_write, on_ready(false));
}

std::string PgConnection::Message() const {
  return SanitizePgMessage(conn_ ? PQerrorMessage(conn_) : "", request_.password);
}

// ---- Connecting ----

void PgConnection::Connect(PgConnectRequest request, ConnectHandler done) {
  Close();
  ++op_;
  request_ = std::move(request);
  connect_done_ = std::move(done);
  state_ = State::kResolving;
  ArmDeadline(request_.deadline);
  hosts_.clear();
  addresses_.clear();
  const std::string* hostaddr = internal::FindParam(request_.params, "hostaddr");
  const std::string* host = internal::FindParam(request_.params, "host");
  const bool resolve = (hostaddr == nullptr || hostaddr->empty()) && host != nullptr;
  if (resolve) {
    hosts_ = internal::SplitCommas(*host);
    addresses_.resize(hosts_.size());
  }
  // Posted, so that `done` never runs inside Connect().
  boost::asio::post(io_, [weak = weak_from_this(), op = op_, resolve] {
    auto self = weak.lock();
    if (!self || op != self->op_) return;
    if (resolve) {
      self->Resolve(0);
    } else {
      self->StartLibpq();
    }
  });
}

void PgConnection::Resolve(std::size_t index) {
  for (; index < hosts_.size(); ++index) {
    const std::string& host = hosts_[index];
    const internal::HostKind kind = internal::ClassifyHost(host);
    if (kind == internal::HostKind::kName) break;
    addresses_[index] = {kind == internal::HostKind::kAddress ? host : ""};
  }
  if (index == hosts_.size()) return StartLibpq();
  // The port only fills getaddrinfo's service; libpq connects to its own.
  resolver_.async_resolve(
      hosts_[index], "5432", boost::asio::ip::tcp::resolver::numeric_service,
      [weak = weak_from_this(), op = op_, index](boost::system::error_code ec,
                                                 boost::asio::ip::tcp::resolver::results_type r) {
        auto self = weak.lock();
        if (!self || op != self->op_) return;
        if (ec || r.empty()) {
          return self->FailConnect(
              PgError{PgErrorReason::kConnect, "",
                      "could not resolve host \"" + self->hosts_[index] + "\": " + ec.message()});
        }
        auto& addresses = self->addresses_[index];
        for (const auto& entry : r) {
          const std::string a = entry.endpoint().address().to_string();
          if (std::find(addresses.begin(), addresses.end(), a) == addresses.end()) {
            addresses.push_back(a);
          }
        }
        self->Resolve(index + 1);
      });
}

void PgConnection::StartLibpq() {
  const internal::Params params =
      internal::LibpqParams(request_.params, hosts_, addresses_, request_.password);
  std::vector<const char*> keys;
  std::vector<const char*> values;
  for (const auto& [k, v] : params) {
    keys.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);

  conn_ = PQconnectStartParams(keys.data(), values.data(), /*expand_dbname=*/0);
  if (conn_ == nullptr) {
    return FailConnect(
        PgError{PgErrorReason::kConnect, "", "libpq could not allocate a connection"});
  }
  // Verbose messages carry the server's SQLSTATE, the only way to tell a
  // refused password from a refused connection (ExtractSqlState).
  PQsetErrorVerbosity(conn_, PQERRORS_VERBOSE);
  PQsetNoticeReceiver(conn_, &DropNotice, nullptr);
  if (PQstatus(conn_) == CONNECTION_BAD) return FailConnect();
  state_ = State::kConnecting;
  PollConnect(PGRES_POLLING_WRITING);  // what libpq's documentation says to start with
}

void PgConnection::PollConnect(int polling_status) {
  switch (polling_status) {
    case PGRES_POLLING_OK:
      if (PQsetnonblocking(conn_, 1) != 0 || !WrapSocket()) return FailConnect();
      deadline_timer_.cancel();
      state_ = State::kIdle;
      if (auto done = std::exchange(connect_done_, nullptr)) done(std::nullopt);
      return;
    case PGRES_POLLING_READING:
    case PGRES_POLLING_WRITING:
      // Every step re-wraps the socket: libpq opens a new one for each
      // address it tries, possibly under the same number.
      if (!WrapSocket()) return FailConnect();
      WaitSocket(polling_status == PGRES_POLLING_READING, polling_status == PGRES_POLLING_WRITING,
                 [this](bool) { PollConnect(PQconnectPoll(conn_)); });
      return;
    default:
      return FailConnect();
  }
}

void PgConnection::FailConnect(std::optional<PgError> error) {
  if (!error) {
    const char* raw = conn_ ? PQerrorMessage(conn_) : "";
    error.emplace();
    error->sqlstate = ExtractSqlState(raw);
    error->reason =
        ClassifyConnectFailure(error->sqlstate, conn_ && PQconnectionNeedsPassword(conn_));
    error->message = SanitizePgMessage(raw, request_.password);
    if (error->message.empty()) error->message = "connection failed";
  }
  ++op_;
  deadline_timer_.cancel();
  resolver_.cancel();
  CloseLibpq();
  state_ = State::kClosed;
  if (auto done = std::exchange(connect_done_, nullptr)) done(std::move(error));
}

// ---- Statements ----

void PgConnection::Query(PgQuery query, QueryHandler done) {
  if (state_ != State::kIdle) {
    // A caller bug, answered like a lost connection rather than a crash.
    boost::asio::post(io_, [done = std::move(done)] {
      PgQueryResult r;
      r.error = PgError{PgErrorReason::kConnectionLost, "", "no idle session to send a query on"};
      done(std::move(r));
    });
    return;
  }
  ++op_;
  query_ = std::move(query);
  query_done_ = std::move(done);
  result_ = {};
  drop_after_ = false;
  state_ = State::kQuerying;
  ArmDeadline(query_.deadline);
  // Posted, so that `done` never runs inside Query().
  boost::asio::post(io_, [weak = weak_from_this(), op = op_] {
    auto self = weak.lock();
    if (self && op == self->op_) self->BeginQuery();
  });
}

void PgConnection::BeginQuery() {
  if (query_.statement_timeout.count() > 0 &&
      query_.statement_timeout != session_statement_timeout_) {
    phase_ = Phase::kSetTimeout;
    Send("SET statement_timeout = " + std::to_string(query_.statement_timeout.count()), {});
    return;
  }
  StartStatement();
}

void PgConnection::StartStatement() {
  if (query_.prepare && !prepare_off_) {
    const auto it = std::find(prepared_.begin(), prepared_.end(), query_.sql);
    if (it != prepared_.end()) {
      phase_ = Phase::kStatement;
      statement_started_ = Clock::now();
      return Send(query_.sql, query_.params, static_cast<std::size_t>(it - prepared_.begin()));
    }
    if (prepared_.size() < kMaxPrepared) {
      phase_ = Phase::kPrepare;
      if (!PQsendPrepare(conn_, PreparedName(prepared_.size()).c_str(), query_.sql.c_str(), 0,
                         nullptr)) {
        return FailQuery(PgErrorReason::kConnectionLost, Message(), /*drop=*/true);
      }
      return Flush();
    }
  }
  phase_ = Phase::kStatement;
  statement_started_ = Clock::now();
  Send(query_.sql, query_.params);
}

void PgConnection::Send(const std::string& sql, const std::vector<std::string>& params,
                        std::optional<std::size_t> prepared) {
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p.c_str());
  const int count = static_cast<int>(values.size());
  int sent;
  if (prepared) {
    sent = PQsendQueryPrepared(conn_, PreparedName(*prepared).c_str(), count, values.data(),
                               nullptr, nullptr, /*resultFormat=*/0);
  } else if (params.empty()) {
    sent = PQsendQuery(conn_, sql.c_str());
  } else {
    sent = PQsendQueryParams(conn_, sql.c_str(), count, nullptr, values.data(), nullptr, nullptr,
                             /*resultFormat=*/0);
  }
  if (!sent) return FailQuery(PgErrorReason::kConnectionLost, Message(), /*drop=*/true);
  // Rows arrive one by one and are dropped beyond max_rows: a probe query
  // that returns a million rows costs the memory of one.
  PQsetSingleRowMode(conn_);
  Flush();
}

void PgConnection::Flush() {
  const int flushed = PQflush(conn_);
  if (flushed < 0) return FailQuery(PgErrorReason::kConnectionLost, Message(), true);
  if (flushed == 1) {
    // libpq's rule: while output is pending, read what the server sends too,
    // or both sides may wait on full buffers.
    return WaitSocket(true, true, [this](bool readable) {
      if (readable && !PQconsumeInput(conn_)) {
        return FailQuery(PgErrorReason::kConnectionLost, Message(), true);
      }
      Flush();
    });
  }
  ReadResults();
}

void PgConnection::ReadResults() {
  while (!PQisBusy(conn_)) {
    PGresult* result = PQgetResult(conn_);
    if (result == nullptr) return PhaseDone();
    TakeResult(result);
    PQclear(result);
    if (state_ != State::kQuerying) return;  // TakeResult ended the query
  }
  WaitSocket(true, false, [this](bool) {
    if (!PQconsumeInput(conn_)) return FailQuery(PgErrorReason::kConnectionLost, Message(), true);
    ReadResults();
  });
}

void PgConnection::TakeResult(void* opaque) {
  auto* result = static_cast<PGresult*>(opaque);
  switch (PQresultStatus(result)) {
    case PGRES_SINGLE_TUPLE:
    case PGRES_TUPLES_OK: {
      if (phase_ != Phase::kStatement) return;
      const int fields = PQnfields(result);
      for (int row = 0; row < PQntuples(result); ++row) {
        if (result_.rows.rows.size() >= query_.max_rows) {
          ++result_.rows.rows_dropped;
          continue;
        }
        auto& out = result_.rows.rows.emplace_back();
        for (int f = 0; f < fields; ++f) {
          if (PQgetisnull(result, row, f)) {
            out.emplace_back();
          } else {
            out.emplace_back(std::string(PQgetvalue(result, row, f),
                                         static_cast<std::size_t>(PQgetlength(result, row, f))));
          }
        }
      }
      return;
    }
    case PGRES_COMMAND_OK:
    case PGRES_EMPTY_QUERY:
      return;
    case PGRES_COPY_IN:
    case PGRES_COPY_OUT:
    case PGRES_COPY_BOTH:
      // libpq would now wait for COPY data; only a new session gets out.
      return FailQuery(PgErrorReason::kQuery, "COPY is not supported in a probe query", true);
    default: {
      if (result_.error) return;  // the first error is the one to report
      const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
      const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
      PgError error;
      error.sqlstate = state ? state : "";
      error.reason = ClassifyQueryFailure(error.sqlstate, PQstatus(conn_) == CONNECTION_BAD);
      error.message =
          SanitizePgMessage(primary ? primary : PQresultErrorMessage(result), request_.password);
      result_.error = std::move(error);
      return;
    }
  }
}

void PgConnection::PhaseDone() {
  const bool broken = PQstatus(conn_) == CONNECTION_BAD;
  if (phase_ == Phase::kSetTimeout && !result_.error && !broken) {
    session_statement_timeout_ = query_.statement_timeout;
    return StartStatement();
  }
  if (phase_ == Phase::kPrepare && !result_.error && !broken) {
    prepared_.push_back(query_.sql);
    phase_ = Phase::kStatement;
    statement_started_ = Clock::now();
    return Send(query_.sql, query_.params, prepared_.size() - 1);
  }
  // 26000 invalid_sql_statement_name: the server no longer has what this
  // session prepared (a pooler gave us another backend, or DISCARD ALL).
  if (phase_ == Phase::kStatement && query_.prepare && result_.error &&
      result_.error->sqlstate == "26000") {
    prepared_.clear();
    prepare_off_ = true;
  }
  if (phase_ == Phase::kStatement) result_.duration = Clock::now() - statement_started_;
  if (broken) {
    drop_after_ = true;
    if (!result_.error) result_.error = PgError{PgErrorReason::kConnectionLost, "", Message()};
    result_.error->reason = ClassifyQueryFailure(result_.error->sqlstate, true);
  }
  // A statement that left a transaction open would hold its snapshot and
  // locks: a fresh session is the clean way out.
  if (!broken && PQtransactionStatus(conn_) != PQTRANS_IDLE) drop_after_ = true;
  CompleteQuery();
}

void PgConnection::FailQuery(PgErrorReason reason, std::string message, bool drop) {
  if (!result_.error) result_.error = PgError{reason, "", std::move(message)};
  if (reason == PgErrorReason::kTimeout) result_.error->reason = reason;
  if (phase_ == Phase::kStatement) result_.duration = Clock::now() - statement_started_;
  drop_after_ = drop_after_ || drop;
  CompleteQuery();
}

void PgConnection::CompleteQuery() {
  ++op_;
  deadline_timer_.cancel();
  if (drop_after_) {
    CloseLibpq();
    state_ = State::kClosed;
  } else {
    state_ = State::kIdle;
  }
  PgQueryResult result = std::move(result_);
  result_ = {};
  if (auto done = std::exchange(query_done_, nullptr)) done(std::move(result));
}

}  // namespace vms::pg
