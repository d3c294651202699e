#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

#include "vms/http/http_server.h"

namespace vms {
namespace {

using ::testing::HasSubstr;

// What zlib's compress2() writes: the zlib (RFC 1950) format, as a sender
// that does not use gzip headers would.
std::string ZlibCompress(const std::string& data) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  std::string out(size, '\0');
  EXPECT_EQ(
      compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                reinterpret_cast<const Bytef*>(data.data()), static_cast<uLong>(data.size()), 6),
      Z_OK);
  out.resize(size);
  return out;
}

TEST(GzipDecompressTest, InflatesWhatGzipCompressWrote) {
  const std::string text = std::string(100000, 'x') + "[{\"type\":1}]";
  auto out = GzipDecompress(GzipCompress(text), 1 << 20);
  ASSERT_TRUE(out.ok()) << out.error();
  EXPECT_EQ(*out, text);
}

TEST(GzipDecompressTest, InflatesZlibFormatToo) {
  auto out = GzipDecompress(ZlibCompress("{\"a\":1}"), 100);
  ASSERT_TRUE(out.ok()) << out.error();
  EXPECT_EQ(*out, "{\"a\":1}");
}

TEST(GzipDecompressTest, ABombBeyondTheLimitIsAnError) {
  const std::string bomb = GzipCompress(std::string(10 << 20, '\0'));
  EXPECT_LT(bomb.size(), 64u * 1024);
  auto out = GzipDecompress(bomb, 1 << 20);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.error(), HasSubstr("more than 1048576 bytes"));
}

TEST(GzipDecompressTest, TruncatedCorruptAndTrailingInputAreErrors) {
  const std::string gz = GzipCompress(std::string(5000, 'a') + "tail");
  EXPECT_FALSE(GzipDecompress(gz.substr(0, gz.size() / 2), 1 << 20).ok());
  EXPECT_FALSE(GzipDecompress("not compressed at all", 1 << 20).ok());
  EXPECT_FALSE(GzipDecompress("", 1 << 20).ok());
  EXPECT_FALSE(GzipDecompress(gz + "junk", 1 << 20).ok());
  std::string flipped = gz;
  flipped[gz.size() - 6] ^= 0x55;  // the CRC32 trailer
  EXPECT_FALSE(GzipDecompress(flipped, 1 << 20).ok());
}

}  // namespace
}  // namespace vms
