#pragma once

// Loads the playlists recorded by tests/fixtures/hls/make_fixtures.sh and
// feeds them to a tracker the way the exporter will: parse, ask for the new
// segments, look their files up, observe. The listings are tab-separated;
// no field holds a blank, so SplitWhitespace splits them.

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "support/subprocess.h"
#include "vms/base/file.h"
#include "vms/base/text.h"
#include "vms/hls/playlist.h"
#include "vms/hls/stream_tracker.h"

namespace vms::hls::test {

struct SegmentFileOnDisk {
  std::uint64_t size = 0;
  double mtime = 0;
};

struct Capture {
  std::string name;  // "00"
  double fetched_at = 0;
  std::string text;
  std::map<std::string, SegmentFileOnDisk> files;  // by file name
};

inline std::string FixturePath(const std::string& relative) {
  return vms::test::SourcePath("tests/fixtures/hls/" + relative);
}

inline std::string ReadFixture(const std::string& relative) {
  auto text = ReadFile(FixturePath(relative));
  EXPECT_TRUE(text.ok()) << text.error();
  return text.ok() ? *text : std::string();
}

inline std::vector<Capture> LoadCaptures(const std::string& dir) {
  std::vector<Capture> captures;
  const std::string index = ReadFixture(dir + "/captures.tsv");
  std::string_view rest = index, line;
  while (NextLine(rest, line)) {
    const auto fields = SplitWhitespace(line);
    if (fields.size() != 2) continue;
    Capture c;
    c.name = std::string(fields[0]);
    EXPECT_TRUE(ParseNumber(fields[1], c.fetched_at)) << line;
    c.text = ReadFixture(dir + "/" + c.name + ".m3u8");
    const std::string listing = ReadFixture(dir + "/" + c.name + ".files");
    std::string_view files = listing, file_line;
    while (NextLine(files, file_line)) {
      const auto f = SplitWhitespace(file_line);
      if (f.size() != 3) continue;
      SegmentFileOnDisk info;
      EXPECT_TRUE(ParseNumber(f[1], info.size) && ParseNumber(f[2], info.mtime)) << file_line;
      c.files[std::string(f[0])] = info;
    }
    captures.push_back(std::move(c));
  }
  return captures;
}

inline MediaPlaylist ParseMedia(const std::string& text) {
  auto parsed = ParsePlaylist(text);
  EXPECT_TRUE(parsed.ok()) << parsed.error();
  if (!parsed.ok() || parsed->media() == nullptr) {
    ADD_FAILURE() << "not a media playlist";
    return MediaPlaylist();
  }
  return *parsed->media();
}

// One poll as the exporter does it, with the files the capture recorded.
// `with_mtime` false drops the mtimes (an HTTP server without Last-Modified).
inline void Feed(HlsStreamTracker& tracker, const Capture& capture, bool with_mtime = true) {
  const MediaPlaylist playlist = ParseMedia(capture.text);
  std::vector<SegmentFile> files;
  for (const NewSegment& s : tracker.NewSegments(playlist)) {
    const auto found = capture.files.find(s.segment->uri);
    if (found == capture.files.end()) continue;
    SegmentFile f{s.sequence, found->second.size, std::nullopt};
    if (with_mtime) f.mtime = found->second.mtime;
    files.push_back(f);
  }
  tracker.Observe(playlist, capture.fetched_at, files);
}

inline void ExpectNoErrors(const HlsStreamState& s) {
  for (std::size_t k = 0; k < kPlaylistErrorKinds; ++k) {
    EXPECT_EQ(s.errors[k], 0u) << PlaylistErrorName(static_cast<PlaylistError>(k));
  }
}

}  // namespace vms::hls::test
