#include "vms/procfs/mountinfo.h"

#include <cstddef>

#include "vms/base/text.h"

namespace vms {
namespace {

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

}  // namespace

std::string UnescapeMountField(std::string_view field) {
  std::string out;
  out.reserve(field.size());
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size() && IsOctal(field[i + 1]) &&
        IsOctal(field[i + 2]) && IsOctal(field[i + 3])) {
      const int value = (field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0');
      if (value <= 0xff) {
        out.push_back(static_cast<char>(value));
        i += 3;
        continue;
      }
    }
    out.push_back(field[i]);
  }
  return out;
}

bool HasMountOption(std::string_view options, std::string_view option) {
  while (!options.empty()) {
    const std::size_t comma = options.find(',');
    if (options.substr(0, comma) == option) return true;
    if (comma == std::string_view::npos) break;
    options.remove_prefix(comma + 1);
  }
  return false;
}

Result<std::vector<MountInfo>> ParseMountInfo(std::string_view text) {
  std::vector<MountInfo> mounts;
  std::size_t line_number = 0;
  std::string_view line;
  while (NextLine(text, line)) {
    ++line_number;
    if (line.find_first_not_of(' ') == std::string_view::npos) continue;

    // 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
    // Optional fields (master:1 ...) vary in number and end at the "-".
    const auto fields = SplitWhitespace(line);
    std::size_t dash = 6;
    while (dash < fields.size() && fields[dash] != "-") ++dash;
    if (fields.size() < 6 || dash + 2 >= fields.size()) {
      return Status::Error("mountinfo line " + std::to_string(line_number) +
                           ": expected \"ID PARENT MAJ:MIN ROOT MOUNT_POINT OPTIONS ... - FSTYPE "
                           "SOURCE SUPER_OPTIONS\", got \"" +
                           std::string(line) + "\"");
    }
    MountInfo m;
    m.root = UnescapeMountField(fields[3]);
    m.mount_point = UnescapeMountField(fields[4]);
    m.mount_options = std::string(fields[5]);
    m.fstype = UnescapeMountField(fields[dash + 1]);
    m.source = UnescapeMountField(fields[dash + 2]);
    if (dash + 3 < fields.size()) m.super_options = std::string(fields[dash + 3]);
    mounts.push_back(std::move(m));
  }
  return mounts;
}

}  // namespace vms
