#include "av_input.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

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

Result<IoContextPtr> InputSource::OpenIo() {
  auto* buffer = static_cast<unsigned char*>(av_malloc(kIoBufferSize));
  if (buffer == nullptr) return Status::Error("allocating an AVIO buffer: out of memory");
  AVIOContext* io =
      avio_alloc_context(buffer, kIoBufferSize, /*write_flag=*/0, this, &InputSource::ReadThunk,
                         nullptr, seekable() ? &InputSource::SeekThunk : nullptr);
  if (io == nullptr) {
    av_free(buffer);
    return Status::Error("allocating an AVIOContext: out of memory");
  }
  return IoContextPtr(io);
}

int InputSource::ReadThunk(void* opaque, std::uint8_t* buf, int size) {
  return static_cast<InputSource*>(opaque)->Read(buf, size);
}

std::int64_t InputSource::SeekThunk(void* opaque, std::int64_t offset, int whence) {
  return static_cast<InputSource*>(opaque)->Seek(offset, whence);
}

std::int64_t InputSource::Seek(std::int64_t /*offset*/, int /*whence*/) { return AVERROR(ENOSYS); }

int ByteSource::Read(std::uint8_t* buf, int size) {
  const std::uint64_t total = this->size();
  if (position_ >= total || size <= 0) return AVERROR_EOF;
  std::uint64_t want = std::min<std::uint64_t>(static_cast<std::uint64_t>(size), total - position_);
  if (position_ < prefix_.size()) {
    want = std::min<std::uint64_t>(want, prefix_.size() - position_);
    std::memcpy(buf, prefix_.data() + position_, want);
    position_ += want;
    return static_cast<int>(want);
  }
  const std::uint64_t at = file_begin_ + (position_ - prefix_.size());
  ssize_t n;
  do {
    n = pread(file_.get(), buf, want, static_cast<off_t>(at));
  } while (n < 0 && errno == EINTR);
  if (n < 0) return AVERROR(errno);
  if (n == 0) return AVERROR_EOF;  // the file shrank under us
  position_ += static_cast<std::uint64_t>(n);
  file_bytes_read_ += static_cast<std::uint64_t>(n);
  return static_cast<int>(n);
}

std::int64_t ByteSource::Seek(std::int64_t offset, int whence) {
  const auto total = static_cast<std::int64_t>(size());
  whence &= ~AVSEEK_FORCE;
  std::int64_t target;
  switch (whence) {
    case AVSEEK_SIZE:
      return total;
    case SEEK_SET:
      target = offset;
      break;
    case SEEK_CUR:
      target = static_cast<std::int64_t>(position_) + offset;
      break;
    case SEEK_END:
      target = total + offset;
      break;
    default:
      return AVERROR(EINVAL);
  }
  if (target < 0) return AVERROR(EINVAL);
  position_ = static_cast<std::uint64_t>(target);
  return target;
}

GrowingTsSource::GrowingTsSource(std::string prefix, std::string tail, UniqueFd file,
                                 std::uint64_t file_begin, std::uint64_t file_end, bool final,
                                 TsWindowScanner* scanner)
    : prefix_(std::move(prefix)),
      tail_(std::move(tail)),
      file_(std::move(file)),
      file_begin_(file_begin),
      file_next_(file_begin),
      file_end_(file_.get() >= 0 ? file_end : file_begin),
      scanner_(scanner) {
  const std::uint64_t total = tail_.size() + (file_end_ - file_begin_);
  const std::uint64_t whole = final ? total : total - total % kTsPacketSize;
  // The tail is under one packet, so `whole` covers it unless it is 0.
  empty_ = whole == 0;
  served_end_ = empty_ ? file_begin_ : file_begin_ + (whole - tail_.size());
  memory_ = prefix_.size() + (empty_ ? 0 : tail_.size());
  prefix_ += tail_;  // served from memory in one piece
}

int GrowingTsSource::Read(std::uint8_t* buf, int size) {
  if (size <= 0) return AVERROR_EOF;
  if (memory_pos_ < memory_) {
    const std::size_t n = std::min(static_cast<std::size_t>(size), memory_ - memory_pos_);
    std::memcpy(buf, prefix_.data() + memory_pos_, n);
    // The tail is part of the window; the PAT/PMT prefix is not.
    const std::size_t tail_start = memory_ - tail_.size();
    if (scanner_ != nullptr && memory_pos_ + n > tail_start) {
      const std::size_t from = std::max(memory_pos_, tail_start);
      scanner_->Feed(std::string_view(prefix_).substr(from, memory_pos_ + n - from));
    }
    memory_pos_ += n;
    return static_cast<int>(n);
  }
  if (file_next_ >= served_end_) {
    exhausted_ = true;
    return AVERROR_EOF;
  }
  const std::size_t want = static_cast<std::size_t>(
      std::min<std::uint64_t>(static_cast<std::uint64_t>(size), served_end_ - file_next_));
  ssize_t n;
  do {
    n = pread(file_.get(), buf, want, static_cast<off_t>(file_next_));
  } while (n < 0 && errno == EINTR);
  if (n <= 0) {
    if (n < 0) {
      error_ = "reading at byte " + std::to_string(file_next_) + ": " + std::strerror(errno);
    }
    // Unreadable, or shrank since it was listed: this window ends here.
    served_end_ = file_end_ = file_next_;
    exhausted_ = true;
    return n < 0 ? AVERROR(EIO) : AVERROR_EOF;
  }
  if (scanner_ != nullptr) {
    scanner_->Feed(
        std::string_view(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n)));
  }
  file_next_ += static_cast<std::uint64_t>(n);
  bytes_read_ += static_cast<std::uint64_t>(n);
  return static_cast<int>(n);
}

std::string GrowingTsSource::TakeTail() {
  std::string tail;
  // The demuxer stopped early (an error): the rest of the window goes with it.
  if (file_next_ < served_end_) return tail;
  // Nothing was served (less than a packet in all): the old tail still waits.
  if (empty_) tail = tail_;
  const std::uint64_t rest = file_end_ - file_next_;
  if (rest == 0 || rest >= kTsPacketSize) return tail;
  const std::size_t old = tail.size();
  tail.resize(old + static_cast<std::size_t>(rest));
  ssize_t n;
  do {
    n = pread(file_.get(), tail.data() + old, static_cast<std::size_t>(rest),
              static_cast<off_t>(file_next_));
  } while (n < 0 && errno == EINTR);
  const std::size_t got = n > 0 ? static_cast<std::size_t>(n) : 0;
  tail.resize(old + got);
  file_next_ += got;
  bytes_read_ += got;
  file_end_ = file_next_;
  return tail;
}

}  // namespace vms::media::internal
