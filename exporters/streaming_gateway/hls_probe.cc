#include "streaming_gateway/hls_probe.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "vms/base/uri.h"
#include "vms/base/url_credentials.h"
#include "vms/hls/quality.h"

namespace vms::streaming_gateway {

HlsProbe::HlsProbe(std::string camera_id, std::string location, std::shared_ptr<HlsFetcher> fetcher)
    : camera_id_(std::move(camera_id)),
      location_(std::move(location)),
      fetcher_(std::move(fetcher)) {}

double HlsProbe::Now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void HlsProbe::Start(std::chrono::steady_clock::time_point deadline, std::function<void()> done) {
  ++run_;
  done_ = std::move(done);
  deadline_ = deadline;
  error_.clear();
  for (Variant& v : variants_) v.error.clear();
  if (!master_ || (*master_ && ++polls_since_master_ >= kMasterRefresh)) {
    polls_since_master_ = 0;
    fetcher_->FetchText(location_, deadline, Bind<Result<std::string>>(run_, &HlsProbe::OnTop));
    return;
  }
  FetchVariants(run_);
}

void HlsProbe::OnTop(std::uint64_t run, Result<std::string> text) {
  const double now = Now();
  if (!text) {
    ++fetch_errors_total_;
    error_ = text.error();
    for (Variant& v : variants_) v.tracker.ObserveFetchFailure(now);
    return Finish();
  }
  auto parsed = hls::ParsePlaylist(*text);
  if (!parsed) {
    error_ = "playlist " + RedactUrl(location_) + ": " + parsed.error();
    if (master_.value_or(false)) {
      ++master_parse_errors_total_;
    } else {
      if (variants_.empty()) {
        variants_.emplace_back(std::string(hls::kSingleQuality), location_);
      }
      for (Variant& v : variants_) v.tracker.ObserveParseError(now);
    }
    return Finish();
  }
  if (const hls::MasterPlaylist* master = parsed->master()) {
    master_ = true;
    SetVariants(*master);
    if (variants_.empty()) {
      error_ = "master playlist " + RedactUrl(location_) + " lists no variants";
      return Finish();
    }
    return FetchVariants(run);
  }
  // A media playlist: the stream's one variant, observed from this fetch.
  if (master_.value_or(false) || variants_.size() != 1) {
    variants_.clear();
    variants_.emplace_back(std::string(hls::kSingleQuality), location_);
  }
  master_ = false;
  variants_[0].pending = true;
  pending_ = 1;
  ObserveMedia(run, 0, std::get<hls::MediaPlaylist>(std::move(parsed.value().value)));
}

void HlsProbe::SetVariants(const hls::MasterPlaylist& master) {
  const std::vector<std::string> labels = hls::QualityLabels(master);
  std::vector<Variant> next;
  for (std::size_t i = 0; i < master.variants.size() && i < labels.size(); ++i) {
    // Past kMaxQualities the label is "other" for all: only the first such
    // variant is followed, so no two trackers share a label.
    if (labels[i] == "other" && std::any_of(next.begin(), next.end(), [](const Variant& v) {
          return v.quality == "other";
        })) {
      continue;
    }
    const std::string location = ResolveUri(location_, master.variants[i].uri);
    auto old = std::find_if(variants_.begin(), variants_.end(), [&](const Variant& v) {
      return v.quality == labels[i] && v.location == location;
    });
    if (old != variants_.end()) {
      next.push_back(std::move(*old));  // keeps its counters
    } else {
      next.emplace_back(labels[i], location);
    }
  }
  variants_ = std::move(next);
}

void HlsProbe::FetchVariants(std::uint64_t run) {
  pending_ = variants_.size();
  for (std::size_t i = 0; i < variants_.size(); ++i) {
    variants_[i].pending = true;
    fetcher_->FetchText(variants_[i].location, deadline_,
                        Bind<Result<std::string>>(
                            run, [i](HlsProbe& self, std::uint64_t r, Result<std::string> text) {
                              self.OnVariantText(r, i, std::move(text));
                            }));
  }
  if (pending_ == 0) Finish();
}

void HlsProbe::OnVariantText(std::uint64_t run, std::size_t i, Result<std::string> text) {
  Variant& v = variants_[i];
  const double now = Now();
  if (!text) {
    ++fetch_errors_total_;
    v.error = text.error();
    v.tracker.ObserveFetchFailure(now);
    return VariantDone(run, i);
  }
  auto parsed = hls::ParsePlaylist(*text);
  if (!parsed || parsed->media() == nullptr) {
    v.error = "playlist " + RedactUrl(v.location) + ": " +
              (parsed ? std::string("a master playlist where a media playlist was expected")
                      : parsed.error());
    v.tracker.ObserveParseError(now);
    return VariantDone(run, i);
  }
  ObserveMedia(run, i, std::get<hls::MediaPlaylist>(std::move(parsed.value().value)));
}

void HlsProbe::ObserveMedia(std::uint64_t run, std::size_t i, hls::MediaPlaylist playlist) {
  Variant& v = variants_[i];
  const std::vector<hls::NewSegment> fresh = v.tracker.NewSegments(playlist);
  if (fresh.empty()) {
    v.tracker.Observe(playlist, Now(), {});
    return VariantDone(run, i);
  }
  std::vector<std::string> locations;
  std::vector<std::uint64_t> sequences;
  for (const hls::NewSegment& n : fresh) {
    locations.push_back(ResolveUri(v.location, n.segment->uri));
    sequences.push_back(n.sequence);
  }
  // The playlist moves into the callback: `fresh` points into it.
  auto shared = std::make_shared<hls::MediaPlaylist>(std::move(playlist));
  fetcher_->FetchInfo(
      locations, deadline_,
      Bind<std::vector<ResourceInfo>>(run, [i, shared, sequences](HlsProbe& self, std::uint64_t r,
                                                                  std::vector<ResourceInfo> infos) {
        std::vector<hls::SegmentFile> files;
        for (std::size_t k = 0; k < infos.size() && k < sequences.size(); ++k) {
          files.push_back({sequences[k], infos[k].size, infos[k].mtime});
        }
        self.variants_[i].tracker.Observe(*shared, Now(), files);
        self.VariantDone(r, i);
      }));
}

void HlsProbe::VariantDone(std::uint64_t /*run*/, std::size_t i) {
  variants_[i].pending = false;
  if (--pending_ == 0) Finish();
}

void HlsProbe::Cancel() {
  ++run_;  // drops every answer still to come
  if (std::chrono::steady_clock::now() >= deadline_) {
    const double now = Now();
    bool any = false;
    for (Variant& v : variants_) {
      if (!v.pending) continue;
      v.pending = false;
      v.error = "timed out";
      ++fetch_errors_total_;
      v.tracker.ObserveFetchFailure(now);
      any = true;
    }
    if (!any && variants_.empty()) {
      ++fetch_errors_total_;
      error_ = "timed out reading " + RedactUrl(location_);
    }
    pending_ = 0;
    Publish();
  }
  if (auto done = std::exchange(done_, nullptr)) done();
}

void HlsProbe::Publish() {
  HlsProbeResult result;
  result.master = master_.value_or(false);
  result.fetch_errors_total = fetch_errors_total_;
  result.master_parse_errors_total = master_parse_errors_total_;
  result.error = error_;
  result.finished = std::chrono::system_clock::now();
  std::string problem = error_;
  for (const Variant& v : variants_) {
    result.variants.push_back({v.quality, RedactUrl(v.location), v.tracker.state(), v.error});
    if (problem.empty() && !v.error.empty()) problem = v.quality + ": " + v.error;
    if (problem.empty() && v.tracker.state().has_playlist && !v.tracker.state().fresh &&
        !v.tracker.state().ended) {
      problem = v.quality + ": stale";
    }
  }
  // Changes only: a dead stream must not log at every poll.
  if (problem != logged_) {
    if (problem.empty()) {
      spdlog::info("stream {}: HLS is live again", camera_id_);
    } else {
      spdlog::warn("stream {}: HLS: {}", camera_id_, problem);
    }
    logged_ = problem;
  }
  snapshot_.Publish(std::move(result));
}

void HlsProbe::Finish() {
  Publish();
  if (auto done = std::exchange(done_, nullptr)) done();
}

}  // namespace vms::streaming_gateway
