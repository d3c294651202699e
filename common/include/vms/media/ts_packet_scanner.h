#pragma once

#include <cstddef>
#include <string>
#include <string_view>

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

// Where `packets` (starting at a PES boundary of every stream, length a
// multiple of 188) can be cut so that no PES packet of any elementary stream
// is split: the largest offset > 0 such that, for every PES-carrying PID that
// occurs in `packets`, its first packet at or after the offset starts a new
// PES. Everything before the cut demuxes to whole frames; the rest waits for
// more data. 0 when there is no such offset. PSI (PAT, PMT, SDT) and padding
// PIDs never hold a cut back.
std::size_t LastSafeTsCut(std::string_view packets);

}  // namespace vms::media
