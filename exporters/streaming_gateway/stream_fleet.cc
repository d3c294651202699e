#include "streaming_gateway/stream_fleet.h"

#include <spdlog/spdlog.h>

#include "streaming_gateway/http_hls_fetcher.h"
#include "vms/base/url_credentials.h"

namespace vms::streaming_gateway {

// Two threads: a playlist on a dead mount holds one, the other keeps the
// rest of the local streams polled.
StreamFleet::StreamFleet(boost::asio::io_context& io)
    : io_(io),
      files_(io, 2),
      file_fetcher_(std::make_shared<FileHlsFetcher>(files_)),
      http_fetcher_(std::make_shared<HttpHlsFetcher>(io)) {}

StreamFleet::~StreamFleet() {
  if (scheduler_) scheduler_->Stop();
}

std::shared_ptr<HlsFetcher> StreamFleet::FetcherFor(const std::string& location) {
  return IsHttpLocation(location) ? http_fetcher_ : file_fetcher_;
}

void StreamFleet::Schedule(Entry& entry) {
  const StreamConfig& c = entry.stream->config;
  if (entry.stream->rtsp) {
    entry.rtsp_id = scheduler_->Add(entry.stream->rtsp, {c.probe_interval, c.probe_timeout});
  }
  if (entry.stream->hls) {
    entry.hls_id = scheduler_->Add(entry.stream->hls, {c.hls_interval, c.hls_timeout});
  }
}

void StreamFleet::Apply(const std::vector<StreamConfig>& streams, int probe_concurrency) {
  if (!scheduler_ || probe_concurrency != probe_concurrency_) {
    if (scheduler_) scheduler_->Stop();
    scheduler_ = std::make_unique<ProbeScheduler>(io_, static_cast<std::size_t>(probe_concurrency));
    probe_concurrency_ = probe_concurrency;
    for (auto& [id, entry] : entries_) Schedule(entry);
    for (auto& [name, source] : sources_) {
      source.id = scheduler_->Add(source.probe, source.schedule);
    }
  }
  std::map<std::string, Entry> next;
  for (const StreamConfig& c : streams) {
    auto old = entries_.find(c.camera_id);
    if (old != entries_.end() && old->second.stream->config == c) {
      next.emplace(c.camera_id, std::move(old->second));  // unchanged: keeps its state
      entries_.erase(old);
      continue;
    }
    auto stream = std::make_shared<Stream>();
    stream->config = c;
    stream->rtsp_shown = RedactUrl(c.rtsp);
    const Stream* before = old != entries_.end() ? old->second.stream.get() : nullptr;
    if (!c.rtsp.empty()) {
      if (before != nullptr && before->rtsp && before->config.rtsp == c.rtsp) {
        stream->rtsp = before->rtsp;  // its counters and any lockout carry over
        stream->rtsp->SetCredentials(c.rtsp_username, c.rtsp_password);
      } else {
        stream->rtsp =
            std::make_shared<RtspProbe>(io_, RtspProbeConfig{.camera_id = c.camera_id,
                                                             .url = c.rtsp,
                                                             .user = c.rtsp_username,
                                                             .password = c.rtsp_password});
      }
    }
    if (!c.hls.empty()) {
      if (before != nullptr && before->hls && before->config.hls == c.hls) {
        stream->hls = before->hls;  // its trackers carry over
      } else {
        stream->hls = std::make_shared<HlsProbe>(c.camera_id, c.hls, FetcherFor(c.hls));
      }
    }
    if (old != entries_.end()) {
      scheduler_->Remove(old->second.rtsp_id);
      scheduler_->Remove(old->second.hls_id);
      entries_.erase(old);
    }
    Entry entry{std::move(stream)};
    Schedule(entry);
    next.emplace(c.camera_id, std::move(entry));
    spdlog::info("watching stream {}{}{}", c.camera_id,
                 c.rtsp.empty() ? "" : " rtsp " + RedactUrl(c.rtsp),
                 c.hls.empty() ? "" : " hls " + RedactUrl(c.hls));
  }
  for (auto& [id, entry] : entries_) {  // what the new list no longer has
    scheduler_->Remove(entry.rtsp_id);
    scheduler_->Remove(entry.hls_id);
    spdlog::info("no longer watching stream {}", id);
  }
  entries_ = std::move(next);

  auto list = std::make_shared<StreamList>();
  for (const auto& [id, entry] : entries_) list->push_back(entry.stream);
  std::lock_guard lock(mu_);
  published_ = std::move(list);
}

void StreamFleet::SetSourceProbe(const std::string& name, std::shared_ptr<Probe> probe,
                                 ProbeSchedule schedule) {
  if (auto old = sources_.find(name); old != sources_.end()) {
    if (scheduler_) scheduler_->Remove(old->second.id);
    sources_.erase(old);
  }
  if (!probe) return;
  SourceProbe& source = sources_[name];
  source.probe = std::move(probe);
  source.schedule = schedule;
  // Without a scheduler yet, the first Apply() makes one and adds it.
  if (scheduler_) source.id = scheduler_->Add(source.probe, source.schedule);
}

std::shared_ptr<const StreamList> StreamFleet::Streams() const {
  std::lock_guard lock(mu_);
  return published_ ? published_ : std::make_shared<const StreamList>();
}

}  // namespace vms::streaming_gateway
