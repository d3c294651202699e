#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/subprocess.h"
#include "vms/rtsp/h264_sps.h"
#include "vms/rtsp/h265_sps.h"

namespace vms {
namespace {

// Fixtures are real encoder output (tests/fixtures/rtsp/generate_sps.sh).
std::string LoadHexFixture(const std::string& name) {
  std::ifstream in(test::SourcePath("tests/fixtures/rtsp/" + name));
  std::string hex;
  in >> hex;
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return bytes;
}

struct Case {
  const char* fixture;
  int width;
  int height;
};

class H264SpsTest : public ::testing::TestWithParam<Case> {};

TEST_P(H264SpsTest, SizeMatchesEncoderInput) {
  const std::string nal = LoadHexFixture(GetParam().fixture);
  ASSERT_FALSE(nal.empty()) << "missing fixture " << GetParam().fixture;
  const auto size = ParseH264SpsSize(nal);
  ASSERT_TRUE(size.ok()) << size.error();
  EXPECT_EQ(size->width, GetParam().width);
  EXPECT_EQ(size->height, GetParam().height);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, H264SpsTest,
                         ::testing::Values(Case{"h264_high_1280x720.hex", 1280, 720},
                                           Case{"h264_high_1920x1080_cropped.hex", 1920, 1080},
                                           Case{"h264_baseline_640x360.hex", 640, 360},
                                           // emulation prevention bytes, chroma_format_idc 3
                                           Case{"h264_high444_352x288.hex", 352, 288},
                                           // frame_mbs_only_flag 0, 4:2:2
                                           Case{"h264_high422_interlaced_720x576.hex", 720, 576},
                                           Case{"h264_scaling_lists_1280x720.hex", 1280, 720}));

class H265SpsTest : public ::testing::TestWithParam<Case> {};

TEST_P(H265SpsTest, SizeMatchesEncoderInput) {
  const std::string nal = LoadHexFixture(GetParam().fixture);
  ASSERT_FALSE(nal.empty()) << "missing fixture " << GetParam().fixture;
  const auto size = ParseH265SpsSize(nal);
  ASSERT_TRUE(size.ok()) << size.error();
  EXPECT_EQ(size->width, GetParam().width);
  EXPECT_EQ(size->height, GetParam().height);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, H265SpsTest,
                         ::testing::Values(Case{"h265_main_1920x1080_cropped.hex", 1920, 1080},
                                           Case{"h265_main_1280x720.hex", 1280, 720}));

TEST(SpsTest, RejectsOtherNalTypesAndTruncation) {
  const std::string h264 = LoadHexFixture("h264_high_1280x720.hex");
  ASSERT_FALSE(h264.empty());
  EXPECT_FALSE(ParseH264SpsSize("").ok());
  EXPECT_FALSE(ParseH264SpsSize("\x68\xeb\xe3").ok());  // a PPS
  for (std::size_t n = 1; n < 8; ++n) {
    EXPECT_FALSE(ParseH264SpsSize(h264.substr(0, n)).ok()) << n;
  }
  const std::string h265 = LoadHexFixture("h265_main_1280x720.hex");
  ASSERT_FALSE(h265.empty());
  EXPECT_FALSE(ParseH265SpsSize(h264).ok());
  for (std::size_t n = 0; n < 16; ++n) {
    EXPECT_FALSE(ParseH265SpsSize(h265.substr(0, n)).ok()) << n;
  }
}

TEST(SpsTest, SurvivesEveryTruncationAndBitFlip) {
  // Fuzz-like: no input may crash or loop; results are either sizes in range
  // or errors.
  for (const char* name : {"h264_high444_352x288.hex", "h264_scaling_lists_1280x720.hex",
                           "h265_main_1920x1080_cropped.hex"}) {
    const std::string nal = LoadHexFixture(name);
    const bool h265 = std::string(name).starts_with("h265");
    for (std::size_t bit = 0; bit < nal.size() * 8; ++bit) {
      std::string mutated = nal;
      mutated[bit / 8] = static_cast<char>(mutated[bit / 8] ^ (1 << (bit % 8)));
      const auto size = h265 ? ParseH265SpsSize(mutated) : ParseH264SpsSize(mutated);
      if (size.ok()) {
        EXPECT_GT(size->width, 0);
        EXPECT_LE(size->width, 65536);
        EXPECT_GT(size->height, 0);
      }
      (void)(h265 ? ParseH265SpsSize(nal.substr(0, bit / 8))
                  : ParseH264SpsSize(nal.substr(0, bit / 8)));
    }
  }
}

}  // namespace
}  // namespace vms
