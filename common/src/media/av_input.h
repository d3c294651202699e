#pragma once

// Internal to vms_media: RAII over the libavformat objects the analyzer uses,
// and the sources its demuxers read from.

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
#include "vms/media/ts_packet_scanner.h"

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

// What a demuxer reads, as an AVIOContext over it.
class InputSource {
 public:
  virtual ~InputSource() = default;
  // Bytes taken from disk so far, so the analyzer can prove it reads each
  // byte once.
  virtual std::uint64_t file_bytes_read() const = 0;
  // An AVIOContext over this source; the source must outlive it.
  Result<IoContextPtr> OpenIo();

 protected:
  virtual int Read(std::uint8_t* buf, int size) = 0;
  virtual bool seekable() const = 0;
  // Only called when seekable(); AVIO's whence, AVSEEK_SIZE included.
  virtual std::int64_t Seek(std::int64_t offset, int whence);

 private:
  static int ReadThunk(void* opaque, std::uint8_t* buf, int size);
  static std::int64_t SeekThunk(void* opaque, std::int64_t offset, int whence);
};

// `prefix`, then bytes [file_begin, file_end) of `file`: a closed segment,
// behind the fMP4 init segment it needs, read straight into libavformat's
// buffer. Seekable, so containers that jump (MP4's moov at the end) work.
class ByteSource final : public InputSource {
 public:
  ByteSource(std::string prefix, UniqueFd file, std::uint64_t file_begin, std::uint64_t file_end)
      : prefix_(std::move(prefix)),
        file_(std::move(file)),
        file_begin_(file_begin),
        file_end_(file_.get() >= 0 ? file_end : file_begin) {}

  std::uint64_t file_bytes_read() const override { return file_bytes_read_; }

 private:
  std::uint64_t size() const { return prefix_.size() + (file_end_ - file_begin_); }
  int Read(std::uint8_t* buf, int size) override;
  bool seekable() const override { return true; }
  std::int64_t Seek(std::int64_t offset, int whence) override;

  std::string prefix_;
  UniqueFd file_;
  std::uint64_t file_begin_;
  std::uint64_t file_end_;
  std::uint64_t position_ = 0;
  std::uint64_t file_bytes_read_ = 0;
};

// The new bytes of a growing MPEG-TS segment, for one demuxer: `prefix`
// (the PAT and PMT, for a demuxer resumed mid-file), then `carry` (bytes read
// by an earlier pass and held back), then [file_begin, file_end) of `file`.
// Only whole PES packets are handed out: the file is read in chunks into a
// staging buffer, and a chunk is served up to its last safe cut
// (LastSafeTsCut); what follows waits for the next chunk, or, at the end,
// is returned by TakeCarry() for the next pass. When `final` (the segment is
// closed and this is its end) everything is served. So a demuxer that hits
// the end of this source never flushes half a frame, no byte is read from
// disk twice, and memory stays one chunk however large the window: the
// staging buffer is the calling thread's and is reused, so only one
// GrowingTsSource may be alive per thread.
class GrowingTsSource final : public InputSource {
 public:
  GrowingTsSource(std::string prefix, std::string carry, UniqueFd file, std::uint64_t file_begin,
                  std::uint64_t file_end, bool final, TsProgramTables* tables);
  ~GrowingTsSource() override;
  GrowingTsSource(const GrowingTsSource&) = delete;
  GrowingTsSource& operator=(const GrowingTsSource&) = delete;

  // Reads until something can be served; false when nothing can be yet
  // (then the bytes read are all carry).
  bool Prime();
  std::uint64_t file_bytes_read() const override { return file_next_ - file_begin_; }
  // The first file offset not read yet.
  std::uint64_t file_next() const { return file_next_; }
  // A read error, naming nothing (the caller knows the file).
  const std::string& error() const { return error_; }
  // What was read but not served: the start of a PES packet still being
  // written. Call once, after the demuxer is done.
  std::string TakeCarry();

 private:
  int Read(std::uint8_t* buf, int size) override;
  bool seekable() const override { return false; }
  bool Refill();

  std::string prefix_;
  std::size_t prefix_pos_ = 0;
  UniqueFd file_;
  std::uint64_t file_begin_;
  std::uint64_t file_next_;
  std::uint64_t file_end_;
  bool final_;
  TsProgramTables* tables_;
  std::string error_;
  // The staging buffer holds [0, len_): served up to pos_, servable up to cut_.
  std::size_t len_ = 0;
  std::size_t cut_ = 0;
  std::size_t pos_ = 0;
};

}  // namespace vms::media::internal
