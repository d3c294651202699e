#include <gtest/gtest.h>

#include <cstdint>
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
                                           Case{"h264_cqm_jvt_1280x720.hex", 1280, 720}));

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

// Writes an SPS the way an encoder does, emulation prevention included, for
// syntax that no encoder available here emits.
class SpsWriter {
 public:
  void Bits(std::uint32_t value, int n) {
    for (int i = n - 1; i >= 0; --i) bits_.push_back((value >> i) & 1);
  }
  void Ue(std::uint32_t value) {
    const std::uint64_t v = std::uint64_t{value} + 1;
    int len = 0;
    while ((v >> len) > 1) ++len;
    Bits(0, len);
    Bits(static_cast<std::uint32_t>(v), len + 1);
  }
  void Se(std::int32_t value) {
    Ue(value > 0 ? static_cast<std::uint32_t>(2 * value - 1)
                 : static_cast<std::uint32_t>(-2 * value));
  }
  std::string Nal(std::uint8_t header) {
    Bits(1, 1);  // rbsp_stop_one_bit
    while (bits_.size() % 8) bits_.push_back(0);
    std::string out(1, static_cast<char>(header));
    int zeros = 0;
    for (std::size_t i = 0; i < bits_.size(); i += 8) {
      std::uint8_t byte = 0;
      for (int b = 0; b < 8; ++b) byte = static_cast<std::uint8_t>(byte << 1 | bits_[i + b]);
      if (zeros >= 2 && byte <= 3) {
        out.push_back(3);
        zeros = 0;
      }
      zeros = byte == 0 ? zeros + 1 : 0;
      out.push_back(static_cast<char>(byte));
    }
    return out;
  }

 private:
  std::vector<int> bits_;
};

TEST(SpsTest, H264SequenceScalingListsAndPocType1) {
  SpsWriter w;
  w.Bits(100, 8);  // High
  w.Bits(0, 8);
  w.Bits(40, 8);
  w.Ue(0);  // seq_parameter_set_id
  w.Ue(1);  // chroma_format_idc 4:2:0
  w.Ue(0);
  w.Ue(0);
  w.Bits(0, 1);
  w.Bits(1, 1);  // seq_scaling_matrix_present_flag
  for (int i = 0; i < 8; ++i) {
    if (i == 0) {  // a full 4x4 list of explicit values
      w.Bits(1, 1);
      for (int j = 0; j < 16; ++j) w.Se(j % 2 ? -3 : 5);
    } else if (i == 1) {  // "use the default list": first delta makes nextScale 0
      w.Bits(1, 1);
      w.Se(-8);
    } else if (i == 6) {  // a full 8x8 list
      w.Bits(1, 1);
      for (int j = 0; j < 64; ++j) w.Se(j % 3 - 1);
    } else {
      w.Bits(0, 1);
    }
  }
  w.Ue(0);  // log2_max_frame_num_minus4
  w.Ue(1);  // pic_order_cnt_type 1
  w.Bits(0, 1);
  w.Se(-2);
  w.Se(1);
  w.Ue(3);  // num_ref_frames_in_pic_order_cnt_cycle
  w.Se(4);
  w.Se(-4);
  w.Se(0);
  w.Ue(1);  // max_num_ref_frames
  w.Bits(0, 1);
  w.Ue(119);     // 120 MBs: 1920
  w.Ue(67);      // 68 MBs: 1088
  w.Bits(1, 1);  // frame_mbs_only_flag
  w.Bits(1, 1);
  w.Bits(1, 1);  // frame_cropping_flag
  w.Ue(0);
  w.Ue(0);
  w.Ue(0);
  w.Ue(4);       // 8 lines off the bottom
  w.Bits(0, 1);  // vui_parameters_present_flag
  const std::string nal = w.Nal(0x67);
  const auto size = ParseH264SpsSize(nal);
  ASSERT_TRUE(size.ok()) << size.error();
  EXPECT_EQ(size->width, 1920);
  EXPECT_EQ(size->height, 1080);
}

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
  for (const char* name : {"h264_high444_352x288.hex", "h264_cqm_jvt_1280x720.hex",
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

// Found by tests/fuzz (fuzz_sps): a High profile SPS whose scaling list
// delta is near INT32_MAX overflowed int (UB). It is read without crashing.
TEST(SpsTest, HugeScalingListDeltaIsNoOverflow) {
  const std::string nal("\x67\xf4\x0d\x19\x00\x00\x57\x00\xff\x0d\x19\x00\x00\x00\x00\xff\xff\xff",
                        18);
  (void)ParseH264SpsSize(nal);
}

}  // namespace
}  // namespace vms
