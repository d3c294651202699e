#include "vms/base/siphash.h"

#include <gtest/gtest.h>

#include <string>

namespace vms {
namespace {

// The reference vectors of the SipHash paper (appendix A and the authors'
// vectors.h): key 00 01 .. 0f, messages 00, 00 01, .., of length 0..15.
TEST(SipHashTest, ReferenceVectors) {
  const SipKey key{0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL};
  std::string message;
  const std::uint64_t expected[] = {
      0x726fdb47dd0e0e31ULL, 0x74f839c593dc67fdULL, 0x0d6c8009d9a94f5aULL, 0x85676696d7fb7e2dULL,
      0xcf2794e0277187b7ULL, 0x18765564cd99a68dULL, 0xcbc9466e58fee3ceULL, 0xab0200f58b01d137ULL,
      0x93f5f5799a932462ULL, 0x9e0082df0ba9e4b0ULL, 0x7a5dbbc594ddb9f3ULL, 0xf4b32f46226bada7ULL,
      0x751e8fbc860ee5fbULL, 0x14ea5627c0843d90ULL, 0xf723ca908e7af2eeULL, 0xa129ca6149be45e5ULL};
  for (int len = 0; len < 16; ++len) {
    EXPECT_EQ(SipHash24(key, message), expected[len]) << "length " << len;
    message.push_back(static_cast<char>(len));
  }
}

TEST(SipHashTest, RandomKeysDiffer) {
  EXPECT_NE(RandomSipKey(), RandomSipKey());
  const SipKey a = RandomSipKey();
  EXPECT_NE(SipHash24(a, "10.0.0.5 Mozilla/5.0"),
            SipHash24(RandomSipKey(), "10.0.0.5 Mozilla/5.0"));
  EXPECT_EQ(SipHash24(a, "x"), SipHash24(a, "x"));
}

}  // namespace
}  // namespace vms
