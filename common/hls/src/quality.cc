#include "vms/hls/quality.h"

#include <algorithm>
#include <cctype>

namespace vms::hls {
namespace {

constexpr std::size_t kMaxLabelBytes = 32;

std::string Sanitize(std::string_view text) {
  std::string out;
  for (const char c : text.substr(0, kMaxLabelBytes)) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
    out += ok ? c : '_';
  }
  return out;
}

// Built by append: GCC 12 warns falsely (-Wrestrict) on to_string() + "k".
std::string Kbps(std::uint64_t bandwidth) {
  std::string out = std::to_string(bandwidth / 1000);
  out += 'k';
  return out;
}

std::string BaseLabel(const Variant& v) {
  if (!v.name.empty()) return Sanitize(v.name);
  if (v.width > 0) {
    std::string out = std::to_string(v.width);
    out += 'x';
    out += std::to_string(v.height);
    return out;
  }
  return Kbps(v.bandwidth);
}

}  // namespace

std::vector<std::string> QualityLabels(const MasterPlaylist& master) {
  std::vector<std::string> labels;
  labels.reserve(master.variants.size());
  auto taken = [&](const std::string& label) {
    return std::find(labels.begin(), labels.end(), label) != labels.end();
  };
  for (std::size_t i = 0; i < master.variants.size(); ++i) {
    if (i >= kMaxQualities) {
      labels.push_back("other");
      continue;
    }
    const Variant& v = master.variants[i];
    std::string label = BaseLabel(v);
    if (label == "other" || taken(label)) {
      label += '_';
      label += Kbps(v.bandwidth);
    }
    if (taken(label)) {
      label += '_';
      label += std::to_string(i);
    }
    labels.push_back(std::move(label));
  }
  return labels;
}

}  // namespace vms::hls
