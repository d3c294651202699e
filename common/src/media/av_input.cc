#include "av_input.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
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

namespace {

// One chunk of a growing TS file: 1024 TS packets. Small enough to stay in
// the CPU's cache between the read and the demuxer's copy, large enough that
// the held-back part (usually less than one frame) is rarely re-scanned.
constexpr std::size_t kTsChunkBytes = 1024 * kTsPacketSize;
// A window with no safe cut this large is not TS we understand (garbage,
// 192-byte M2TS): serve it anyway rather than hold it forever.
constexpr std::size_t kMaxHeldBytes = 4u << 20;

// The staging buffer of the calling thread: grown without zero-filling,
// reused by every camera the thread analyses, given back when a pathological
// window made it large.
struct Staging {
  std::unique_ptr<char[]> data;
  std::size_t capacity = 0;
  bool in_use = false;

  // Makes room for `size` bytes, keeping the first `keep`.
  void Reserve(std::size_t size, std::size_t keep) {
    if (size <= capacity) return;
    const std::size_t grown = std::max(size, std::min(capacity * 2, kMaxHeldBytes + kTsChunkBytes));
    std::unique_ptr<char[]> bigger(new char[grown]);
    if (keep > 0) std::memcpy(bigger.get(), data.get(), keep);
    data = std::move(bigger);
    capacity = grown;
  }
  void ShrinkIfLarge() {
    if (capacity > 2 * kTsChunkBytes) {
      data.reset();
      capacity = 0;
    }
  }
};

Staging& ThreadStaging() {
  thread_local Staging staging;
  return staging;
}

}  // namespace

GrowingTsSource::GrowingTsSource(std::string prefix, std::string carry, UniqueFd file,
                                 std::uint64_t file_begin, std::uint64_t file_end, bool final,
                                 TsProgramTables* tables)
    : prefix_(std::move(prefix)),
      file_(std::move(file)),
      file_begin_(file_begin),
      file_next_(file_begin),
      file_end_(file_.get() >= 0 ? file_end : file_begin),
      final_(final),
      tables_(tables) {
  Staging& staging = ThreadStaging();
  if (staging.in_use) std::abort();  // one per thread: see the class comment
  staging.in_use = true;
  staging.Reserve(carry.size() + kTsChunkBytes, 0);
  if (!carry.empty()) std::memcpy(staging.data.get(), carry.data(), carry.size());
  len_ = carry.size();
}

GrowingTsSource::~GrowingTsSource() {
  Staging& staging = ThreadStaging();
  staging.ShrinkIfLarge();
  staging.in_use = false;
}

bool GrowingTsSource::Prime() { return pos_ < cut_ || Refill(); }

bool GrowingTsSource::Refill() {
  Staging& staging = ThreadStaging();
  for (;;) {
    if (file_next_ >= file_end_) {
      if (final_ && cut_ < len_) {
        cut_ = len_;
        return true;
      }
      return false;
    }
    // Keep what is held back (after the cut) and read a chunk behind it.
    const std::size_t held = len_ - cut_;
    if (cut_ > 0 && held > 0) std::memmove(staging.data.get(), staging.data.get() + cut_, held);
    len_ = held;
    pos_ = cut_ = 0;
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(kTsChunkBytes, file_end_ - file_next_));
    staging.Reserve(len_ + want, len_);
    ssize_t n;
    do {
      n = pread(file_.get(), staging.data.get() + len_, want, static_cast<off_t>(file_next_));
    } while (n < 0 && errno == EINTR);
    if (n <= 0) {
      if (n < 0) error_ = std::string("reading at byte ") + std::to_string(file_next_) + ": " +
                          std::strerror(errno);
      file_end_ = file_next_;  // unreadable, or shrank since it was listed
      final_ = final_ || n < 0;
      continue;
    }
    len_ += static_cast<std::size_t>(n);
    file_next_ += static_cast<std::uint64_t>(n);
    const std::string_view packets(staging.data.get(), len_ - len_ % kTsPacketSize);
    if (tables_ != nullptr && !tables_->complete()) CaptureProgramTables(packets, tables_);
    if (final_ && file_next_ >= file_end_) {
      cut_ = len_;
    } else {
      cut_ = LastSafeTsCut(packets);
      if (cut_ == 0 && packets.size() >= kMaxHeldBytes) cut_ = packets.size();
    }
    if (cut_ > 0) return true;
  }
}

int GrowingTsSource::Read(std::uint8_t* buf, int size) {
  if (size <= 0) return AVERROR_EOF;
  if (prefix_pos_ < prefix_.size()) {
    const std::size_t n = std::min(static_cast<std::size_t>(size), prefix_.size() - prefix_pos_);
    std::memcpy(buf, prefix_.data() + prefix_pos_, n);
    prefix_pos_ += n;
    return static_cast<int>(n);
  }
  if (pos_ >= cut_ && !Refill()) return AVERROR_EOF;
  const std::size_t n = std::min(static_cast<std::size_t>(size), cut_ - pos_);
  std::memcpy(buf, ThreadStaging().data.get() + pos_, n);
  pos_ += n;
  return static_cast<int>(n);
}

std::string GrowingTsSource::TakeCarry() {
  std::string carry(ThreadStaging().data.get() + cut_, len_ - cut_);
  len_ = cut_;
  return carry;
}

}  // namespace vms::media::internal
