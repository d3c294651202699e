#include "streaming_gateway/hls_fetcher.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "vms/hls/playlist.h"

namespace vms::streaming_gateway {
namespace {

// A playlist is small; one that is not is refused rather than read whole.
Result<std::string> ReadPlaylistFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Error("opening " + path + ": " + std::strerror(errno));
  std::string text;
  char buf[16384];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return Status::Error("reading " + path + ": " + std::strerror(err));
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > hls::kMaxPlaylistBytes) {
      ::close(fd);
      return Status::Error(path + " is larger than " + std::to_string(hls::kMaxPlaylistBytes) +
                           " bytes");
    }
  }
  ::close(fd);
  return text;
}

}  // namespace

void FileHlsFetcher::FetchText(const std::string& location, Clock::time_point /*deadline*/,
                               TextDone done) {
  runner_.Run<Result<std::string>>([location] { return ReadPlaylistFile(location); },
                                   std::move(done));
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
