#include "vms/rtsp/h264_sps.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

#include "bit_reader.h"

namespace vms {
namespace {

// Profiles whose SPS carries chroma_format_idc, bit depths and scaling
// lists (H.264 7.3.2.1.1).
bool HasChromaInfo(std::uint32_t profile_idc) {
  static constexpr std::uint32_t kProfiles[] = {100, 110, 122, 244, 44,  83, 86,
                                                118, 128, 138, 139, 134, 135};
  return std::find(std::begin(kProfiles), std::end(kProfiles), profile_idc) != std::end(kProfiles);
}

// scaling_list(): only its length matters here, and that depends on the
// values, so the deltas are read.
void SkipScalingList(internal::BitReader& r, int size) {
  int last = 8;
  int next = 8;
  for (int j = 0; j < size && !r.failed(); ++j) {
    // delta_scale is -128..127 in a valid SPS; a hostile one may be any
    // int32 (found by tests/fuzz: int overflow), so the sum is taken wide.
    if (next != 0) next = static_cast<int>(((last + std::int64_t{r.Se()}) % 256 + 256) % 256);
    last = next == 0 ? last : next;
  }
}

}  // namespace

Result<VideoSize> ParseH264SpsSize(std::string_view nal) {
  if (nal.empty() || (static_cast<unsigned char>(nal[0]) & 0x1f) != 7) {
    return Status::Error("H.264 NAL unit is not an SPS");
  }
  internal::BitReader r(nal.substr(1));
  const std::uint32_t profile_idc = r.Bits(8);
  r.Skip(16);  // constraint flags, level_idc
  r.Ue();      // seq_parameter_set_id

  std::uint32_t chroma_format_idc = 1;
  bool separate_colour_plane = false;
  if (HasChromaInfo(profile_idc)) {
    chroma_format_idc = r.Ue();
    if (chroma_format_idc > 3) return Status::Error("H.264 SPS has a bad chroma_format_idc");
    if (chroma_format_idc == 3) separate_colour_plane = r.Bit();
    r.Ue();         // bit_depth_luma_minus8
    r.Ue();         // bit_depth_chroma_minus8
    r.Bit();        // qpprime_y_zero_transform_bypass_flag
    if (r.Bit()) {  // seq_scaling_matrix_present_flag
      const int lists = chroma_format_idc != 3 ? 8 : 12;
      for (int i = 0; i < lists; ++i) {
        if (r.Bit()) SkipScalingList(r, i < 6 ? 16 : 64);
      }
    }
  }
  r.Ue();  // log2_max_frame_num_minus4
  const std::uint32_t poc_type = r.Ue();
  if (poc_type == 0) {
    r.Ue();  // log2_max_pic_order_cnt_lsb_minus4
  } else if (poc_type == 1) {
    r.Bit();  // delta_pic_order_always_zero_flag
    r.Se();   // offset_for_non_ref_pic
    r.Se();   // offset_for_top_to_bottom_field
    const std::uint32_t cycle = r.Ue();
    if (cycle > 255) return Status::Error("H.264 SPS has a bad POC cycle length");
    for (std::uint32_t i = 0; i < cycle; ++i) r.Se();
  } else if (poc_type > 2) {
    return Status::Error("H.264 SPS has a bad pic_order_cnt_type");
  }
  r.Ue();   // max_num_ref_frames
  r.Bit();  // gaps_in_frame_num_value_allowed_flag
  const std::uint64_t width_mbs = std::uint64_t{r.Ue()} + 1;
  const std::uint64_t height_map_units = std::uint64_t{r.Ue()} + 1;
  const bool frame_mbs_only = r.Bit();
  if (!frame_mbs_only) r.Bit();  // mb_adaptive_frame_field_flag
  r.Bit();                       // direct_8x8_inference_flag
  std::uint64_t crop_left = 0, crop_right = 0, crop_top = 0, crop_bottom = 0;
  if (r.Bit()) {
    crop_left = r.Ue();
    crop_right = r.Ue();
    crop_top = r.Ue();
    crop_bottom = r.Ue();
  }
  if (r.failed()) return Status::Error("H.264 SPS is truncated or malformed");

  const std::uint32_t chroma_array_type = separate_colour_plane ? 0 : chroma_format_idc;
  const std::uint64_t frame_factor = frame_mbs_only ? 1 : 2;
  std::uint64_t crop_x = 1;
  std::uint64_t crop_y = frame_factor;
  if (chroma_array_type != 0) {
    crop_x = chroma_format_idc == 3 ? 1 : 2;
    crop_y = (chroma_format_idc == 1 ? 2 : 1) * frame_factor;
  }
  const std::uint64_t full_width = width_mbs * 16;
  const std::uint64_t full_height = frame_factor * height_map_units * 16;
  const std::uint64_t cut_x = crop_x * (crop_left + crop_right);
  const std::uint64_t cut_y = crop_y * (crop_top + crop_bottom);
  if (full_width > 65536 || full_height > 65536 || cut_x >= full_width || cut_y >= full_height) {
    return Status::Error("H.264 SPS has an impossible picture size");
  }
  return VideoSize{static_cast<int>(full_width - cut_x), static_cast<int>(full_height - cut_y)};
}

}  // namespace vms
