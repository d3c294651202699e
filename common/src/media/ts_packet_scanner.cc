#include "vms/media/ts_packet_scanner.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace vms::media {
namespace {

constexpr int kPatPid = 0;

struct TsHeader {
  bool sync = false;
  int pid = -1;
  bool unit_start = false;
  std::string_view payload;
};

TsHeader ParseHeader(std::string_view p) {
  TsHeader h;
  if (p.size() < kTsPacketSize || static_cast<std::uint8_t>(p[0]) != 0x47) return h;
  const auto b = [&](std::size_t i) { return static_cast<std::uint8_t>(p[i]); };
  h.sync = true;
  h.unit_start = (b(1) & 0x40) != 0;
  h.pid = ((b(1) & 0x1F) << 8) | b(2);
  const int adaptation = (b(3) >> 4) & 0x3;
  std::size_t start = 4;
  if (adaptation == 2) return h;  // no payload
  if (adaptation == 3) start = 5 + b(4);
  if (start < kTsPacketSize) h.payload = p.substr(start, kTsPacketSize - start);
  return h;
}

bool StartsPes(const TsHeader& h) {
  return h.unit_start && h.payload.size() >= 3 && h.payload[0] == 0 && h.payload[1] == 0 &&
         h.payload[2] == 1;
}

// The PMT PID of the first program in a PAT section (program 0 is the NIT).
int PmtPidFromPat(std::string_view payload) {
  if (payload.empty()) return -1;
  const std::size_t pointer = static_cast<std::uint8_t>(payload[0]);
  std::string_view s = payload.substr(std::min(payload.size(), 1 + pointer));
  if (s.size() < 8 || s[0] != 0) return -1;
  const auto b = [&](std::size_t i) { return static_cast<std::uint8_t>(s[i]); };
  const std::size_t section_length = ((b(1) & 0x0F) << 8) | b(2);
  // Entries run from byte 8 up to the CRC, the last 4 bytes of the section.
  const std::size_t section_end = 3 + section_length;
  if (section_end < 8 + 4) return -1;
  const std::size_t end = std::min(s.size(), section_end - 4);
  for (std::size_t i = 8; i + 4 <= end; i += 4) {
    const int program = (b(i) << 8) | b(i + 1);
    if (program != 0) return ((b(i + 2) & 0x1F) << 8) | b(i + 3);
  }
  return -1;
}

}  // namespace

void CaptureProgramTables(std::string_view packets, TsProgramTables* tables) {
  for (std::size_t at = 0; at + kTsPacketSize <= packets.size() && !tables->complete();
       at += kTsPacketSize) {
    const std::string_view packet = packets.substr(at, kTsPacketSize);
    const TsHeader h = ParseHeader(packet);
    if (!h.sync || !h.unit_start) continue;
    if (h.pid == kPatPid && tables->pat_packet.empty()) {
      const int pmt_pid = PmtPidFromPat(h.payload);
      if (pmt_pid > 0) {
        tables->pat_packet = std::string(packet);
        tables->pmt_pid = pmt_pid;
      }
    } else if (h.pid == tables->pmt_pid && tables->pmt_packet.empty()) {
      tables->pmt_packet = std::string(packet);
    }
  }
}

std::size_t LastSafeTsCut(std::string_view packets) {
  const std::size_t count = packets.size() / kTsPacketSize;
  const auto packet = [&](std::size_t i) { return packets.substr(i * kTsPacketSize, kTsPacketSize); };
  // The PES-carrying PIDs: a handful in any real stream. Called once per
  // chunk read, so no table over all 8192 PIDs: that was most of its cost.
  constexpr std::size_t kMaxPesPids = 64;
  struct PidState {
    int pid;
    enum : std::uint8_t { kUnknown, kStarts, kContinues } first;
  };
  std::array<PidState, kMaxPesPids> pids;
  std::size_t pid_count = 0;
  const auto find = [&](int pid) -> PidState* {
    for (std::size_t k = 0; k < pid_count; ++k) {
      if (pids[k].pid == pid) return &pids[k];
    }
    return nullptr;
  };
  for (std::size_t i = 0; i < count; ++i) {
    const std::string_view p = packet(i);
    // Only a packet with payload_unit_start can begin a PES.
    if (static_cast<std::uint8_t>(p[0]) != 0x47 || (static_cast<std::uint8_t>(p[1]) & 0x40) == 0) {
      continue;
    }
    const TsHeader h = ParseHeader(p);
    if (!StartsPes(h) || find(h.pid) != nullptr) continue;
    if (pid_count == kMaxPesPids) return 0;  // not a stream we understand: hold it
    pids[pid_count++] = {h.pid, PidState::kUnknown};
  }
  // Walking backwards, `first` says whether the first packet of the PID at or
  // after the current offset starts a PES. A PID with no packet there yet may
  // still be mid-PES, so it blocks the cut.
  std::size_t blocking = pid_count;
  for (std::size_t i = count; i-- > 1;) {
    const TsHeader h = ParseHeader(packet(i));
    PidState* state = h.sync ? find(h.pid) : nullptr;
    if (state != nullptr) {
      const auto next = StartsPes(h) ? PidState::kStarts : PidState::kContinues;
      if (state->first == PidState::kStarts && next != PidState::kStarts) ++blocking;
      if (state->first != PidState::kStarts && next == PidState::kStarts) --blocking;
      state->first = next;
    }
    if (blocking == 0) return i * kTsPacketSize;
  }
  return 0;
}

}  // namespace vms::media
