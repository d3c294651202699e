#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vms::media {

inline constexpr std::size_t kTsPacketSize = 188;

// The PAT and PMT packets of an MPEG-TS file. A demuxer started in the
// middle of a growing file knows no streams until the next PAT/PMT, so the
// analyzer replays these two packets in front of every resumed read.
struct TsProgramTables {
  std::string pat_packet;
  std::string pmt_packet;
  int pmt_pid = -1;
  bool complete() const { return !pat_packet.empty() && !pmt_packet.empty(); }
  std::string Prefix() const { return pat_packet + pmt_packet; }
};

// Learns the first PAT and the PMT it names from whole 188-byte packets in
// file order. Packets that are not in sync are skipped.
void CaptureProgramTables(std::string_view packets, TsProgramTables* tables);

// Follows a window of a growing MPEG-TS file as it is handed to a demuxer
// that starts at the window (behind the PAT/PMT), in any chunking: learns
// the program tables, and counts the PES payload bytes of each followed PID
// before that PID's first PES start in the window. Those are the rest of a
// PES packet begun in an earlier window: the earlier demuxer counted its
// first part (flushed at the end of its input), and this one skips the rest.
// The first bytes fed must start a TS packet.
class TsWindowScanner {
 public:
  TsWindowScanner(std::vector<int> pes_pids, TsProgramTables* tables);
  void Feed(std::string_view bytes);
  // Payload bytes of followed PIDs before their first PES start.
  std::uint64_t continuation_bytes() const { return continuation_bytes_; }
  // Nothing left to learn: every followed PID has started a new PES (or
  // none is followed) and the tables are known.
  bool done() const { return open_ == 0 && (tables_ == nullptr || tables_->complete()); }

 private:
  void Packet(std::string_view packet);

  std::vector<int> open_pids_;  // followed PIDs not at a PES start yet
  std::size_t open_ = 0;
  TsProgramTables* tables_;
  std::uint64_t continuation_bytes_ = 0;
  std::string partial_;  // the start of a packet split between two feeds
};

}  // namespace vms::media
