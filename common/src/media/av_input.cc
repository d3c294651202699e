#include "av_input.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

extern "C" {
#include <libavutil/error.h>
#include <libavutil/mem.h>
}

namespace vms::media::internal {
namespace {

// Big enough for a few hundred TS packets per read, small enough that 64
// cameras analysed in turn cost nothing to keep.
constexpr int kIoBufferSize = 64 * 1024;

}  // namespace

std::string AvErrorText(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  if (av_strerror(code, text, sizeof(text)) < 0) return "libav error " + std::to_string(code);
  return text;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) close(fd_);
}

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

UniqueFd OpenForReading(const std::string& path) {
  return UniqueFd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
}

Result<std::uint64_t> ReadFileRange(const std::string& path, std::uint64_t offset,
                                    std::uint64_t count, std::string* out) {
  const UniqueFd file = OpenForReading(path);
  if (file.get() < 0) {
    return Status::Error("opening segment " + path + ": " + std::strerror(errno));
  }
  const std::size_t old_size = out->size();
  out->resize(old_size + count);
  std::uint64_t done = 0;
  while (done < count) {
    const ssize_t n = pread(file.get(), out->data() + old_size + done, count - done,
                            static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      out->resize(old_size + done);
      return Status::Error("reading segment " + path + " at byte " + std::to_string(offset + done) +
                           ": " + std::strerror(errno));
    }
    if (n == 0) break;  // shrank since it was listed
    done += static_cast<std::uint64_t>(n);
  }
  out->resize(old_size + done);
  return done;
}

void IoContextFreer::operator()(AVIOContext* io) const {
  // The buffer may have been reallocated by libavformat; free the current one.
  av_freep(&io->buffer);
  avio_context_free(&io);
}

Result<IoContextPtr> ByteSource::OpenIo() {
  auto* buffer = static_cast<unsigned char*>(av_malloc(kIoBufferSize));
  if (buffer == nullptr) return Status::Error("allocating an AVIO buffer: out of memory");
  AVIOContext* io = avio_alloc_context(buffer, kIoBufferSize, /*write_flag=*/0, this,
                                       &ByteSource::Read, nullptr, &ByteSource::Seek);
  if (io == nullptr) {
    av_free(buffer);
    return Status::Error("allocating an AVIOContext: out of memory");
  }
  return IoContextPtr(io);
}

int ByteSource::Read(void* opaque, std::uint8_t* buf, int size) {
  auto* self = static_cast<ByteSource*>(opaque);
  const std::uint64_t total = self->size();
  if (self->position_ >= total || size <= 0) return AVERROR_EOF;
  std::uint64_t want =
      std::min<std::uint64_t>(static_cast<std::uint64_t>(size), total - self->position_);
  if (self->position_ < self->in_memory()) {
    const bool in_prefix = self->position_ < self->prefix_.size();
    const std::string_view part = in_prefix ? std::string_view(self->prefix_) : self->memory_;
    const std::uint64_t at = in_prefix ? self->position_ : self->position_ - self->prefix_.size();
    want = std::min<std::uint64_t>(want, part.size() - at);
    std::memcpy(buf, part.data() + at, want);
    self->position_ += want;
    return static_cast<int>(want);
  }
  const std::uint64_t at = self->file_begin_ + (self->position_ - self->in_memory());
  ssize_t n;
  do {
    n = pread(self->file_.get(), buf, want, static_cast<off_t>(at));
  } while (n < 0 && errno == EINTR);
  if (n < 0) return AVERROR(errno);
  if (n == 0) return AVERROR_EOF;  // the file shrank under us
  self->position_ += static_cast<std::uint64_t>(n);
  self->file_bytes_read_ += static_cast<std::uint64_t>(n);
  return static_cast<int>(n);
}

std::int64_t ByteSource::Seek(void* opaque, std::int64_t offset, int whence) {
  auto* self = static_cast<ByteSource*>(opaque);
  const auto total = static_cast<std::int64_t>(self->size());
  whence &= ~AVSEEK_FORCE;
  std::int64_t target;
  switch (whence) {
    case AVSEEK_SIZE:
      return total;
    case SEEK_SET:
      target = offset;
      break;
    case SEEK_CUR:
      target = static_cast<std::int64_t>(self->position_) + offset;
      break;
    case SEEK_END:
      target = total + offset;
      break;
    default:
      return AVERROR(EINVAL);
  }
  if (target < 0) return AVERROR(EINVAL);
  self->position_ = static_cast<std::uint64_t>(target);
  return target;
}

}  // namespace vms::media::internal
