#pragma once

// Internal to vms_media: RAII over the libavformat objects the analyzer uses,
// and an AVIOContext that reads from memory and/or a byte range of a file.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

extern "C" {
#include <libavformat/avformat.h>
#include <libavformat/avio.h>
}

#include "vms/base/status.h"

namespace vms::media::internal {

std::string AvErrorText(int code);

struct FormatContextCloser {
  void operator()(AVFormatContext* ctx) const { avformat_close_input(&ctx); }
};
using FormatContextPtr = std::unique_ptr<AVFormatContext, FormatContextCloser>;

struct PacketFreer {
  void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
using PacketPtr = std::unique_ptr<AVPacket, PacketFreer>;

struct IoContextFreer {
  void operator()(AVIOContext* io) const;
};
using IoContextPtr = std::unique_ptr<AVIOContext, IoContextFreer>;

// An open file descriptor, closed on destruction.
class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  ~UniqueFd();
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Opens `path` read-only; get() < 0 with errno set on failure.
UniqueFd OpenForReading(const std::string& path);

// Appends up to `count` bytes of `path` from `offset` to `out` (fewer when
// the file is shorter); returns how many.
Result<std::uint64_t> ReadFileRange(const std::string& path, std::uint64_t offset,
                                    std::uint64_t count, std::string* out);

// What the demuxer reads: `prefix`, then `memory`, then bytes
// [file_begin, file_end) of `file` (when open): a segment behind the PAT/PMT
// or the fMP4 init segment it needs, without copying the segment. Seekable,
// so containers that jump (MP4's moov at the end) work; counts the bytes
// taken from the file so the analyzer can prove it reads each byte once.
// `memory` must outlive the source; the rest is owned.
class ByteSource {
 public:
  ByteSource(std::string prefix, std::string_view memory, UniqueFd file = UniqueFd(),
             std::uint64_t file_begin = 0, std::uint64_t file_end = 0)
      : prefix_(std::move(prefix)),
        memory_(memory),
        file_(std::move(file)),
        file_begin_(file_begin),
        file_end_(file_.get() >= 0 ? file_end : file_begin) {}

  std::uint64_t size() const { return in_memory() + (file_end_ - file_begin_); }
  std::uint64_t file_bytes_read() const { return file_bytes_read_; }

  // An AVIOContext over this source; the source must outlive it.
  Result<IoContextPtr> OpenIo();

 private:
  std::uint64_t in_memory() const { return prefix_.size() + memory_.size(); }
  static int Read(void* opaque, std::uint8_t* buf, int size);
  static std::int64_t Seek(void* opaque, std::int64_t offset, int whence);

  std::string prefix_;
  std::string_view memory_;
  UniqueFd file_;
  std::uint64_t file_begin_;
  std::uint64_t file_end_;
  std::uint64_t position_ = 0;
  std::uint64_t file_bytes_read_ = 0;
};

}  // namespace vms::media::internal
