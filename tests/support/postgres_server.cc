#include "support/postgres_server.h"

#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace vms::test {
namespace {

constexpr char kBin[] = "/usr/lib/postgresql/15/bin/";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

PostgresServer::PostgresServer(std::vector<std::string> settings, bool tls)
    : dir_(MakeTempDir()), port_(FreePort()), settings_(std::move(settings)) {
  const passwd* user = ::getpwnam("postgres");
  if (user == nullptr) user = ::getpwnam("nobody");
  if (user == nullptr) {
    init_output_ = "neither a postgres nor a nobody user exists";
    return;
  }
  uid_ = user->pw_uid;
  gid_ = user->pw_gid;
  if (::chown(dir_.c_str(), uid_, gid_) != 0) {
    init_output_ = "chown " + dir_ + " failed";
    return;
  }
  const std::string as_user = "/usr/bin/setpriv --reuid=" + std::to_string(uid_) +
                              " --regid=" + std::to_string(gid_) + " --clear-groups ";
  // No sync: a test's cluster need not survive a power cut.
  auto init = RunCommand(as_user + kBin + "initdb -D " + dir_ +
                         "/data -U postgres --auth-local=trust --auth-host=scram-sha-256 "
                         "-E UTF8 --locale=C --no-sync --no-instructions");
  if (init.exit_code != 0) {
    init_output_ = "initdb failed:\n" + init.output;
    return;
  }
  if (tls) {
    // The server insists on a key only its own user can read.
    const std::string key = dir_ + "/server.key";
    const std::string crt = dir_ + "/server.crt";
    auto cert = RunCommand(
        "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
        "-keyout " +
        key + " -out " + crt);
    if (cert.exit_code != 0 || ::chown(key.c_str(), uid_, gid_) != 0 ||
        ::chmod(key.c_str(), 0600) != 0) {
      init_output_ = "making the TLS certificate failed:\n" + cert.output;
      return;
    }
    settings_.insert(settings_.end(), {"ssl=on", "ssl_cert_file=" + crt, "ssl_key_file=" + key});
  }
  ready_ = Start();
}

std::unique_ptr<PostgresServer> PostgresServer::StandbyOf(const PostgresServer& primary) {
  return std::unique_ptr<PostgresServer>(new PostgresServer(primary, true));
}

PostgresServer::PostgresServer(const PostgresServer& primary, bool)
    : dir_(MakeTempDir()),
      port_(FreePort()),
      settings_(primary.settings_),
      uid_(primary.uid_),
      gid_(primary.gid_) {
  if (::chown(dir_.c_str(), uid_, gid_) != 0) {
    init_output_ = "chown " + dir_ + " failed";
    return;
  }
  // A fast checkpoint: the default spreads it over minutes.
  auto backup =
      RunCommand("/usr/bin/setpriv --reuid=" + std::to_string(uid_) +
                 " --regid=" + std::to_string(gid_) + " --clear-groups " + kBin +
                 "pg_basebackup -h " + primary.dir_ + " -p " + std::to_string(primary.port_) +
                 " -U postgres -D " + dir_ + "/data -R -X stream --no-sync --checkpoint=fast");
  if (backup.exit_code != 0) {
    init_output_ = "pg_basebackup failed:\n" + backup.output;
    return;
  }
  ready_ = Start();
}

PostgresServer::~PostgresServer() {
  Stop();
  RunCommand("rm -rf " + dir_);
}

std::string PostgresServer::Log() const { return init_output_ + ReadAll(dir_ + "/server.log"); }

bool PostgresServer::Start() {
  std::vector<std::string> argv = {"/usr/bin/setpriv",
                                   "--reuid=" + std::to_string(uid_),
                                   "--regid=" + std::to_string(gid_),
                                   "--clear-groups",
                                   std::string(kBin) + "postgres",
                                   "-D",
                                   dir_ + "/data",
                                   "-c",
                                   "listen_addresses=127.0.0.1",
                                   "-c",
                                   "port=" + std::to_string(port_),
                                   "-c",
                                   "unix_socket_directories=" + dir_,
                                   "-c",
                                   "fsync=off"};
  for (const auto& s : settings_) {
    argv.push_back("-c");
    argv.push_back(s);
  }
  process_ = std::make_unique<Subprocess>(argv, dir_ + "/server.log");
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < give_up) {
    if (!process_->Running()) return false;
    if (Psql("SELECT 1").exit_code == 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

void PostgresServer::Stop() {
  if (!process_) return;
  // SIGINT is the fast shutdown: sessions are ended, the postmaster reaps its
  // children and exits. A postmaster killed outright would orphan them.
  process_->Signal(SIGINT);
  if (process_->Wait(std::chrono::seconds(30)) == -1) {
    ::kill(-process_->pid(), SIGKILL);
  }
  process_.reset();
}

CommandResult PostgresServer::Psql(const std::string& sql, const std::string& dbname) const {
  // A file, not -c: no shell quoting of the SQL.
  char path[] = "/tmp/vms-psql-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return {.exit_code = -1, .output = "mkstemp failed"};
  ::close(fd);
  std::ofstream(path) << sql;
  auto r = RunCommand(std::string(kBin) + "psql -X -At -v ON_ERROR_STOP=1 -h " + dir_ + " -p " +
                      std::to_string(port_) + " -U postgres -d " + dbname + " -f " + path);
  ::unlink(path);
  return r;
}

}  // namespace vms::test
