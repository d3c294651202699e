#include "vms/logtail/log_checkpoint.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "vms/base/file.h"
#include "vms/base/text.h"

namespace vms {
namespace {

constexpr std::string_view kMagic = "vms-logtail-checkpoint 1";

std::string FormatFile(std::string_view kind, const FileCheckpoint& f) {
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(f.head_hash));
  return std::string(kind) + " " + std::to_string(f.dev) + " " + std::to_string(f.inode) + " " +
         std::to_string(f.offset) + " " + (f.skipping ? "1" : "0") + " " +
         std::to_string(f.head_length) + " " + hash + "\n";
}

bool ParseHex64(std::string_view s, std::uint64_t& out) {
  if (s.size() != 16) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out, 16);
  return ec == std::errc() && end == s.data() + s.size();
}

std::string ErrnoText(int err) { return std::strerror(err); }

}  // namespace

std::uint64_t Fnv1a64(std::string_view bytes, std::uint64_t state) {
  std::uint64_t h = state;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

std::string FormatLogCheckpoint(const LogCheckpoint& checkpoint) {
  std::string out(kMagic);
  out += "\n";
  for (const FileCheckpoint& f : checkpoint.draining) out += FormatFile("draining", f);
  if (checkpoint.current) out += FormatFile("current", *checkpoint.current);
  return out;
}

Result<LogCheckpoint> ParseLogCheckpoint(std::string_view text) {
  std::string_view line;
  if (!NextLine(text, line) || line != kMagic) {
    return Status::Error("not a log checkpoint (no \"" + std::string(kMagic) + "\" line)");
  }
  LogCheckpoint checkpoint;
  int number = 1;
  while (NextLine(text, line)) {
    ++number;
    const auto fields = SplitWhitespace(line);
    if (fields.empty()) continue;
    FileCheckpoint f;
    int skipping = 0;
    if (fields.size() != 7 || !ParseNumber(fields[1], f.dev) || !ParseNumber(fields[2], f.inode) ||
        !ParseNumber(fields[3], f.offset) || !ParseNumber(fields[4], skipping) || skipping < 0 ||
        skipping > 1 || !ParseNumber(fields[5], f.head_length) ||
        !ParseHex64(fields[6], f.head_hash)) {
      return Status::Error("log checkpoint line " + std::to_string(number) + " is malformed");
    }
    f.skipping = skipping == 1;
    if (fields[0] == "draining" && !checkpoint.current) {
      checkpoint.draining.push_back(f);
    } else if (fields[0] == "current" && !checkpoint.current) {
      checkpoint.current = f;
    } else {
      return Status::Error("log checkpoint line " + std::to_string(number) + " is out of place");
    }
  }
  return checkpoint;
}

std::string CheckpointPath(const std::string& state_dir, const std::string& log_path) {
  const std::size_t slash = log_path.rfind('/');
  std::string base = slash == std::string::npos ? log_path : log_path.substr(slash + 1);
  for (char& c : base) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '-' || c == '_';
    if (!plain) c = '_';
  }
  if (base.size() > 64) base.resize(64);
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(Fnv1a64(log_path)));
  return state_dir + "/" + base + "-" + hash + ".checkpoint";
}

Result<std::optional<LogCheckpoint>> ReadLogCheckpoint(const std::string& path) {
  if (::access(path.c_str(), F_OK) != 0) {
    if (errno == ENOENT) return std::optional<LogCheckpoint>();
    return Status::Error("checking " + path + ": " + ErrnoText(errno));
  }
  auto text = ReadFile(path);
  if (!text) return text.status();
  auto parsed = ParseLogCheckpoint(*text);
  if (!parsed) return Status::Error(path + ": " + parsed.error());
  return std::optional<LogCheckpoint>(std::move(*parsed));
}

Status WriteLogCheckpoint(const std::string& path, const LogCheckpoint& checkpoint) {
  const std::string text = FormatLogCheckpoint(checkpoint);
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Error("creating " + temp + ": " + ErrnoText(errno));
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return Status::Error("writing " + temp + ": " + ErrnoText(err));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) return Status::Error("closing " + temp + ": " + ErrnoText(errno));
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    return Status::Error("renaming " + temp + " to " + path + ": " + ErrnoText(errno));
  }
  return Status::Ok();
}

}  // namespace vms
