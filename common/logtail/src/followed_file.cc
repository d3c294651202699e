#include "followed_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace vms::logtail_internal {
namespace {

constexpr int kMaxDirEntries = 4096;

std::string ErrnoText(int err) { return std::strerror(err); }

Result<std::uint64_t> HashPrefix(int fd, std::size_t length) {
  std::string head(length, '\0');
  std::size_t done = 0;
  while (done < length) {
    const ssize_t n = ::pread(fd, head.data() + done, length - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::Error("reading the first bytes: " + ErrnoText(errno));
    if (n == 0) return Status::Error("shorter than its fingerprint");
    done += static_cast<std::size_t>(n);
  }
  return Fnv1a64(head);
}

}  // namespace

FollowedFile::~FollowedFile() {
  if (fd_ >= 0) ::close(fd_);
}

FollowedFile::FollowedFile(FollowedFile&& other) noexcept { *this = std::move(other); }

FollowedFile& FollowedFile::operator=(FollowedFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
    pos = other.pos;
    partial = std::move(other.partial);
    size = other.size;
    drain_until = other.drain_until;
  }
  return *this;
}

Result<FollowedFile> FollowedFile::Open(const std::string& path) {
  FollowedFile f;
  f.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (f.fd_ < 0) return Status::Error("opening " + path + ": " + ErrnoText(errno));
  struct stat st {};
  if (::fstat(f.fd_, &st) != 0) return Status::Error("stat of " + path + ": " + ErrnoText(errno));
  if (!S_ISREG(st.st_mode)) return Status::Error(path + " is not a regular file");
  f.pos.dev = st.st_dev;
  f.pos.inode = st.st_ino;
  f.size = static_cast<std::uint64_t>(st.st_size);
  return f;
}

Result<std::uint64_t> FollowedFile::Size() const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return Status::Error("fstat: " + ErrnoText(errno));
  return static_cast<std::uint64_t>(st.st_size);
}

Result<bool> FollowedFile::HeadMatches() const { return HeadMatches(pos); }

Result<bool> FollowedFile::HeadMatches(const FileCheckpoint& head) const {
  if (head.head_length == 0) return true;
  auto hash = HashPrefix(fd_, head.head_length);
  if (!hash) {
    if (hash.error() == "shorter than its fingerprint") return false;
    return hash.status();
  }
  return *hash == head.head_hash;
}

Status FollowedFile::ExtendHead(std::uint64_t file_size) {
  if (pos.head_length >= kHeadBytes || file_size <= pos.head_length) return Status::Ok();
  const auto length = static_cast<std::size_t>(std::min<std::uint64_t>(file_size, kHeadBytes));
  auto hash = HashPrefix(fd_, length);
  if (!hash) return hash.status();
  pos.head_length = static_cast<std::uint32_t>(length);
  pos.head_hash = *hash;
  return Status::Ok();
}

void FollowedFile::ExtendHeadWith(std::uint64_t offset, std::string_view bytes) {
  const std::uint64_t have = pos.head_length;
  if (have >= kHeadBytes || offset > have || offset + bytes.size() <= have) return;
  const std::size_t from = static_cast<std::size_t>(have - offset);
  const std::size_t take = std::min<std::size_t>(bytes.size() - from, kHeadBytes - have);
  pos.head_hash = Fnv1a64(bytes.substr(from, take), have == 0 ? kFnv1a64Basis : pos.head_hash);
  pos.head_length = static_cast<std::uint32_t>(have + take);
}

Result<std::size_t> FollowedFile::ReadAt(std::uint64_t offset, char* buf, std::size_t n) const {
  while (true) {
    const ssize_t got = ::pread(fd_, buf, n, static_cast<off_t>(offset));
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno != EINTR) return Status::Error("reading: " + ErrnoText(errno));
  }
}

FileCheckpoint FollowedFile::Checkpoint() const {
  FileCheckpoint c = pos;
  if (!c.skipping) c.offset -= partial.size();
  return c;
}

std::optional<FollowedFile> FindByInode(const std::string& preferred, const std::string& dir,
                                        std::uint64_t dev, std::uint64_t inode) {
  const auto try_path = [&](const std::string& path) -> std::optional<FollowedFile> {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || st.st_dev != dev || st.st_ino != inode) {
      return std::nullopt;
    }
    auto f = FollowedFile::Open(path);
    if (!f || !f->SameFile(dev, inode)) return std::nullopt;
    return std::move(*f);
  };
  if (auto f = try_path(preferred)) return f;
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), &::closedir);
  if (!d) return std::nullopt;
  int seen = 0;
  while (const dirent* e = ::readdir(d.get())) {
    if (++seen > kMaxDirEntries) break;
    // Each entry is stat'ed: d_ino is not st_ino on every file system
    // (overlayfs). This runs only at a restart.
    if (auto f = try_path(dir + "/" + e->d_name)) return f;
  }
  return std::nullopt;
}

std::string DirName(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace vms::logtail_internal
