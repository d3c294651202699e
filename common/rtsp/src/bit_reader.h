#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vms::internal {

// Reads the RBSP of a NAL unit: MSB-first bits and exp-Golomb codes, with
// emulation prevention bytes (00 00 03) removed up front. Reading past the
// end sets failed() and yields zeros, so a parser checks once at the end
// (or before using a value in a loop bound) instead of after every read.
class BitReader {
 public:
  explicit BitReader(std::string_view nal) {
    rbsp_.reserve(nal.size());
    int zeros = 0;
    for (const char ch : nal) {
      const auto byte = static_cast<unsigned char>(ch);
      if (zeros >= 2 && byte == 0x03) {
        zeros = 0;
        continue;
      }
      zeros = byte == 0 ? zeros + 1 : 0;
      rbsp_.push_back(static_cast<char>(byte));
    }
  }

  bool failed() const { return failed_; }

  std::uint32_t Bits(int n) {
    std::uint32_t value = 0;
    for (int i = 0; i < n; ++i) value = (value << 1) | Bit();
    return value;
  }

  std::uint32_t Bit() {
    if (pos_ >= rbsp_.size() * 8) {
      failed_ = true;
      return 0;
    }
    const auto byte = static_cast<unsigned char>(rbsp_[pos_ / 8]);
    const std::uint32_t bit = (byte >> (7 - pos_ % 8)) & 1;
    ++pos_;
    return bit;
  }

  void Skip(std::size_t n) {
    pos_ += n;
    if (pos_ > rbsp_.size() * 8) failed_ = true;
  }

  // ue(v); codes longer than 32 bits are invalid in every SPS field we read.
  std::uint32_t Ue() {
    int zeros = 0;
    while (Bit() == 0) {
      if (failed_ || ++zeros > 31) {
        failed_ = true;
        return 0;
      }
    }
    return static_cast<std::uint32_t>((std::uint64_t{1} << zeros) - 1 + Bits(zeros));
  }

  // se(v)
  std::int32_t Se() {
    const std::uint32_t k = Ue();
    const auto magnitude = static_cast<std::int32_t>((k + 1) / 2);
    return (k & 1) ? magnitude : -magnitude;
  }

 private:
  std::string rbsp_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace vms::internal
