// LoadWebConfig (the exporter-toolkit style --web.config.file) on arbitrary
// YAML, written to a file of this process's own directory as the loader
// reads a path. Certificate paths resolve inside that directory.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "vms/http/web_config.h"

namespace {

std::filesystem::path g_dir;

void RemoveDir() { std::filesystem::remove_all(g_dir); }

const std::string& ConfigPath() {
  static const std::string path = [] {
    g_dir = std::filesystem::temp_directory_path() /
            ("vms_fuzz_web_config." + std::to_string(getpid()));
    std::filesystem::create_directories(g_dir);
    std::atexit(RemoveDir);
    return (g_dir / "web.yml").string();
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = ConfigPath();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  (void)vms::LoadWebConfig(path);
  return 0;
}
