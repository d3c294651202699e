#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "vms/base/status.h"
#include "vms/probe/blocking_runner.h"

namespace vms::streaming_gateway {

// What is known of a segment's resource without reading it.
struct ResourceInfo {
  std::optional<std::uint64_t> size;  // bytes
  std::optional<double> mtime;        // Unix seconds: file mtime, or HTTP Last-Modified
};

// Gets playlists and looks up segments for an HlsProbe, from files or over
// HTTP. Callbacks run on the io_context's thread; a fetch never blocks it.
// The deadline is a hint a fetcher enforces if it can (a file read stuck in
// the kernel cannot be interrupted: the probe then times out and drops the
// late answer).
class HlsFetcher {
 public:
  using Clock = std::chrono::steady_clock;
  using TextDone = std::function<void(Result<std::string>)>;
  using InfoDone = std::function<void(std::vector<ResourceInfo>)>;

  virtual ~HlsFetcher() = default;
  virtual void FetchText(const std::string& location, Clock::time_point deadline,
                         TextDone done) = 0;
  // One entry per location, in order; unknown fields stay empty.
  virtual void FetchInfo(const std::vector<std::string>& locations, Clock::time_point deadline,
                         InfoDone done) = 0;
};

// Playlists on the gateway's own disk (nginx serving files an ffmpeg
// packager writes), read and stat'ed on the BlockingRunner's threads.
class FileHlsFetcher : public HlsFetcher {
 public:
  explicit FileHlsFetcher(BlockingRunner& runner) : runner_(runner) {}
  void FetchText(const std::string& location, Clock::time_point deadline, TextDone done) override;
  void FetchInfo(const std::vector<std::string>& locations, Clock::time_point deadline,
                 InfoDone done) override;

 private:
  BlockingRunner& runner_;
};

}  // namespace vms::streaming_gateway
