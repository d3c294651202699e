#include "streaming_gateway/hls_fetcher.h"

#include <sys/stat.h>

#include "vms/base/file.h"
#include "vms/hls/playlist.h"

namespace vms::streaming_gateway {

void FileHlsFetcher::FetchText(const std::string& location, Clock::time_point /*deadline*/,
                               TextDone done) {
  runner_.Run<Result<std::string>>(
      [location] { return ReadFile(location, hls::kMaxPlaylistBytes); }, std::move(done));
}

void FileHlsFetcher::FetchInfo(const std::vector<std::string>& locations,
                               Clock::time_point /*deadline*/, InfoDone done) {
  runner_.Run<std::vector<ResourceInfo>>(
      [locations] {
        std::vector<ResourceInfo> infos(locations.size());
        for (std::size_t i = 0; i < locations.size(); ++i) {
          struct stat st {};
          // A segment already deleted by the packager (a short window) has
          // no size: the tracker counts it as a segment without size.
          if (::stat(locations[i].c_str(), &st) != 0) continue;
          infos[i].size = static_cast<std::uint64_t>(st.st_size);
          infos[i].mtime = static_cast<double>(st.st_mtim.tv_sec) +
                           static_cast<double>(st.st_mtim.tv_nsec) / 1e9;
        }
        return infos;
      },
      std::move(done));
}

}  // namespace vms::streaming_gateway
