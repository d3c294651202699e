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
// (the PAT and PMT, for a demuxer resumed mid-file), then `tail` (the start
// of a TS packet an earlier pass read, under 188 bytes), then whole TS
// packets of [file_begin, file_end) read straight into libavformat's buffer;
// the bytes of a packet not complete yet are kept for the next pass
// (TakeTail). When `final` (the segment is closed and this is its end)
// everything is served. So no byte is read from disk twice and nothing
// larger than a TS packet is held between passes.
//
// A PES packet still being written when the source ends is flushed by the
// demuxer in part; the next pass's demuxer skips its rest, which the
// TsWindowScanner (fed everything served, for `pes_pids`) counts instead.
class GrowingTsSource final : public InputSource {
 public:
  GrowingTsSource(std::string prefix, std::string tail, UniqueFd file, std::uint64_t file_begin,
                  std::uint64_t file_end, bool final, TsWindowScanner* scanner);

  // Whether there is anything to serve (the demuxer needs at least a packet).
  bool empty() const { return empty_; }
  std::uint64_t file_bytes_read() const override { return bytes_read_; }
  // The demuxer asked past the end: what it hands out from now on is what
  // it flushes (partial PES packets).
  bool exhausted() const { return exhausted_; }
  // A read error, naming nothing (the caller knows the file).
  const std::string& error() const { return error_; }
  // Once the demuxer is done: reads what was not served (an incomplete
  // packet, under 188 bytes) and returns it for the next pass, which starts
  // reading the file at file_end().
  std::string TakeTail();
  std::uint64_t file_end() const { return file_end_; }

 private:
  int Read(std::uint8_t* buf, int size) override;
  bool seekable() const override { return false; }

  std::string prefix_;
  std::string tail_;
  bool empty_ = false;
  std::size_t memory_ = 0;      // bytes of prefix_ (+ tail_) served from memory
  std::size_t memory_pos_ = 0;  // served so far
  std::uint64_t bytes_read_ = 0;
  UniqueFd file_;
  std::uint64_t file_begin_;
  std::uint64_t file_next_;
  std::uint64_t served_end_;  // whole packets end here, or file_end_ when final
  std::uint64_t file_end_;
  TsWindowScanner* scanner_;
  bool exhausted_ = false;
  std::string error_;
};

}  // namespace vms::media::internal
