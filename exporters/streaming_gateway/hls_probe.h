#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "streaming_gateway/hls_fetcher.h"
#include "vms/base/snapshot.h"
#include "vms/hls/playlist.h"
#include "vms/hls/stream_tracker.h"
#include "vms/probe/probe_scheduler.h"

namespace vms::streaming_gateway {

// One variant of a camera's HLS stream as the last poll left it.
struct HlsVariantStatus {
  std::string quality;   // the `quality` label
  std::string location;  // resolved playlist location, redacted: safe to show
  hls::HlsStreamState state;
  std::string error;  // the last poll's problem with this variant, "" when none
};

// A poll's outcome; published whole, never changed afterwards.
struct HlsProbeResult {
  bool master = false;  // the configured location is a master playlist
  std::vector<HlsVariantStatus> variants;
  // Fetches that failed (the configured location or a variant's playlist:
  // missing, refused, timed out), and master playlists that did not parse.
  std::uint64_t fetch_errors_total = 0;
  std::uint64_t master_parse_errors_total = 0;
  std::string error;  // the last poll's problem with the configured location
  std::chrono::system_clock::time_point finished{};
};

// Polls one camera's HLS playlist (a file or an http(s) URL, master or media)
// and follows each variant with an HlsStreamTracker. A master is fetched at
// the first poll and every kMasterRefresh polls after; its variants every
// poll, in parallel, and each new segment's size is looked up once (stat or
// HEAD). Runs on the io_context's thread through the ProbeScheduler;
// Latest() may be read from any thread.
class HlsProbe : public Probe, public std::enable_shared_from_this<HlsProbe> {
 public:
  static constexpr int kMasterRefresh = 30;

  HlsProbe(std::string camera_id, std::string location, std::shared_ptr<HlsFetcher> fetcher);

  void Start(std::chrono::steady_clock::time_point deadline, std::function<void()> done) override;
  // At or after the deadline the variants still pending count a failed
  // fetch ("timed out"); before it (the probe was removed) nothing is published.
  void Cancel() override;

  std::shared_ptr<const HlsProbeResult> Latest() const { return snapshot_.Read(); }

 private:
  struct Variant {
    Variant(std::string q, std::string l) : quality(std::move(q)), location(std::move(l)) {}
    std::string quality;
    std::string location;  // resolved, unredacted
    hls::HlsStreamTracker tracker;
    std::string error;
    bool pending = false;  // in this poll
  };

  void OnTop(std::uint64_t run, Result<std::string> text);
  void SetVariants(const hls::MasterPlaylist& master);
  void FetchVariants(std::uint64_t run);
  void OnVariantText(std::uint64_t run, std::size_t i, Result<std::string> text);
  void ObserveMedia(std::uint64_t run, std::size_t i, hls::MediaPlaylist playlist);
  void VariantDone(std::uint64_t run, std::size_t i);
  void Publish();
  void Finish();
  static double Now();

  template <typename T>
  std::function<void(T)> Bind(std::uint64_t run,
                              std::function<void(HlsProbe&, std::uint64_t, T)> fn) {
    return [weak = weak_from_this(), run, fn = std::move(fn)](T value) {
      auto self = weak.lock();
      if (self && self->run_ == run) fn(*self, run, std::move(value));
    };
  }

  const std::string camera_id_;
  const std::string location_;
  std::shared_ptr<HlsFetcher> fetcher_;
  Snapshot<HlsProbeResult> snapshot_;

  // io thread only.
  std::uint64_t run_ = 0;  // answers of an older run are dropped
  std::function<void()> done_;
  std::chrono::steady_clock::time_point deadline_{};
  std::optional<bool> master_;  // unknown until the location was read once
  int polls_since_master_ = 0;
  std::vector<Variant> variants_;
  std::size_t pending_ = 0;
  std::uint64_t fetch_errors_total_ = 0;
  std::uint64_t master_parse_errors_total_ = 0;
  std::string error_;
  std::string logged_;  // the last problem logged, for logging changes only
};

}  // namespace vms::streaming_gateway
