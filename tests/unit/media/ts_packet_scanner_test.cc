#include "vms/media/ts_packet_scanner.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace vms::media {
namespace {

std::string Packet(int pid, bool unit_start, std::string payload) {
  std::string p(kTsPacketSize, '\xff');
  p[0] = '\x47';
  p[1] = static_cast<char>((unit_start ? 0x40 : 0) | ((pid >> 8) & 0x1F));
  p[2] = static_cast<char>(pid & 0xFF);
  p[3] = '\x10';  // payload only
  p.replace(4, payload.size(), payload);
  return p;
}

std::string PesStart(int pid) { return Packet(pid, true, std::string("\0\0\1\xe0", 4)); }
std::string PesMore(int pid) { return Packet(pid, false, "data"); }

std::string Pat(int pmt_pid) {
  // pointer, table 0, length 13, ts id, version, section numbers, program 1.
  std::string s("\x00\x00\xb0\x0d\x00\x01\xc1\x00\x00\x00\x01", 11);
  s += static_cast<char>(0xE0 | (pmt_pid >> 8));
  s += static_cast<char>(pmt_pid & 0xFF);
  s += std::string("\x00\x00\x00\x00", 4);  // CRC, unchecked here
  return Packet(0, true, s);
}

TEST(TsPacketScannerTest, CapturesPatAndThePmtItNames) {
  const std::string pmt = Packet(0x1000, true, std::string("\x00\x02\xb0", 3));
  TsProgramTables tables;
  CaptureProgramTables(PesStart(0x100) + Pat(0x1000) + PesMore(0x100) + pmt, &tables);
  ASSERT_TRUE(tables.complete());
  EXPECT_EQ(tables.pmt_pid, 0x1000);
  EXPECT_EQ(tables.Prefix(), Pat(0x1000) + pmt);
}

TEST(TsPacketScannerTest, CutsBeforeTheLastUnfinishedPes) {
  const std::string data = PesStart(0x100) + PesMore(0x100) + PesStart(0x100) + PesMore(0x100);
  EXPECT_EQ(LastSafeTsCut(data), 2 * kTsPacketSize);
}

TEST(TsPacketScannerTest, NeverSplitsAnyStream) {
  // Video PES 1, audio PES 1 starts, video PES 2 starts, audio PES 1 goes on:
  // cutting before video PES 2 would split the audio PES, so cut before it.
  const std::string data = PesStart(0x100) + PesStart(0x101) + PesStart(0x100) + PesMore(0x101) +
                           PesStart(0x101) + PesMore(0x100);
  EXPECT_EQ(LastSafeTsCut(data), 1 * kTsPacketSize);
}

TEST(TsPacketScannerTest, PsiDoesNotHoldTheCutBack) {
  const std::string data = PesStart(0x100) + PesMore(0x100) + PesStart(0x100) + Pat(0x1000);
  EXPECT_EQ(LastSafeTsCut(data), 2 * kTsPacketSize);
}

TEST(TsPacketScannerTest, NoCutInsideOnePes) {
  EXPECT_EQ(LastSafeTsCut(PesStart(0x100) + PesMore(0x100)), 0u);
  EXPECT_EQ(LastSafeTsCut(""), 0u);
}

TEST(TsPacketScannerTest, BytesOutOfSyncHoldNothingBack) {
  // No elementary stream to keep whole: garbage goes to the demuxer at once
  // rather than piling up.
  EXPECT_EQ(LastSafeTsCut(std::string(5 * kTsPacketSize, 'x')), 4 * kTsPacketSize);
}

TEST(TsPacketScannerTest, ArbitraryBytesAreHandled) {
  std::mt19937 random(7);
  for (int round = 0; round < 500; ++round) {
    std::string data(random() % (8 * kTsPacketSize), '\0');
    for (char& c : data) c = static_cast<char>(random() % 4 == 0 ? 0x47 : random());
    TsProgramTables tables;
    CaptureProgramTables(data, &tables);
    const std::string whole = data.substr(0, data.size() - data.size() % kTsPacketSize);
    const std::size_t cut = LastSafeTsCut(whole);
    EXPECT_EQ(cut % kTsPacketSize, 0u);
    EXPECT_LT(cut, whole.size() + 1);
  }
}

}  // namespace
}  // namespace vms::media
