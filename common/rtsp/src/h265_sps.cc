#include "vms/rtsp/h265_sps.h"

#include "bit_reader.h"

namespace vms {

Result<VideoSize> ParseH265SpsSize(std::string_view nal) {
  if (nal.size() < 2 || ((static_cast<unsigned char>(nal[0]) >> 1) & 0x3f) != 33) {
    return Status::Error("H.265 NAL unit is not an SPS");
  }
  internal::BitReader r(nal.substr(2));
  r.Skip(4);  // sps_video_parameter_set_id
  const std::uint32_t max_sub_layers_minus1 = r.Bits(3);
  r.Bit();  // sps_temporal_id_nesting_flag

  // profile_tier_level(1, sps_max_sub_layers_minus1)
  r.Skip(88);  // general profile space .. general_inbld_flag
  r.Skip(8);   // general_level_idc
  bool profile_present[8] = {};
  bool level_present[8] = {};
  for (std::uint32_t i = 0; i < max_sub_layers_minus1; ++i) {
    profile_present[i] = r.Bit();
    level_present[i] = r.Bit();
  }
  if (max_sub_layers_minus1 > 0) {
    for (std::uint32_t i = max_sub_layers_minus1; i < 8; ++i) r.Skip(2);  // reserved_zero_2bits
  }
  for (std::uint32_t i = 0; i < max_sub_layers_minus1; ++i) {
    if (profile_present[i]) r.Skip(88);
    if (level_present[i]) r.Skip(8);
  }

  r.Ue();  // sps_seq_parameter_set_id
  const std::uint32_t chroma_format_idc = r.Ue();
  if (chroma_format_idc > 3) return Status::Error("H.265 SPS has a bad chroma_format_idc");
  bool separate_colour_plane = false;
  if (chroma_format_idc == 3) separate_colour_plane = r.Bit();
  const std::uint64_t width = r.Ue();
  const std::uint64_t height = r.Ue();
  std::uint64_t left = 0, right = 0, top = 0, bottom = 0;
  if (r.Bit()) {  // conformance_window_flag
    left = r.Ue();
    right = r.Ue();
    top = r.Ue();
    bottom = r.Ue();
  }
  if (r.failed()) return Status::Error("H.265 SPS is truncated or malformed");

  std::uint64_t sub_width = 1;
  std::uint64_t sub_height = 1;
  if (!separate_colour_plane && (chroma_format_idc == 1 || chroma_format_idc == 2)) {
    sub_width = 2;
    sub_height = chroma_format_idc == 1 ? 2 : 1;
  }
  const std::uint64_t cut_x = sub_width * (left + right);
  const std::uint64_t cut_y = sub_height * (top + bottom);
  if (width == 0 || height == 0 || width > 65536 || height > 65536 || cut_x >= width ||
      cut_y >= height) {
    return Status::Error("H.265 SPS has an impossible picture size");
  }
  return VideoSize{static_cast<int>(width - cut_x), static_cast<int>(height - cut_y)};
}

}  // namespace vms
