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

TEST(TsWindowScannerTest, CountsTheRestOfPesPacketsBegunEarlier) {
  // A window that starts inside a video PES (0x100) and an audio PES
  // (0x101): their packets before each PID's next PES start are the rest of
  // what the last window's demuxer flushed; everything after, and other
  // PIDs, the demuxer sees itself.
  const std::string data = PesMore(0x100) + PesMore(0x101) + PesMore(0x100) + PesStart(0x101) +
                           PesMore(0x101) + PesStart(0x100) + PesMore(0x100) + PesMore(0x102);
  TsWindowScanner scanner({0x100, 0x101}, nullptr);
  scanner.Feed(data);
  EXPECT_EQ(scanner.continuation_bytes(), 3u * (kTsPacketSize - 4));
  EXPECT_TRUE(scanner.done());
}

TEST(TsWindowScannerTest, AnyChunkingGivesTheSameCount) {
  const std::string data = PesMore(0x100) + Pat(0x1000) + PesMore(0x100) + PesStart(0x100);
  for (std::size_t step : {1u, 7u, 187u, 188u, 189u, 500u}) {
    TsWindowScanner scanner({0x100}, nullptr);
    for (std::size_t at = 0; at < data.size(); at += step) {
      scanner.Feed(std::string_view(data).substr(at, step));
    }
    EXPECT_EQ(scanner.continuation_bytes(), 2u * (kTsPacketSize - 4)) << "step " << step;
    EXPECT_TRUE(scanner.done());
  }
}

TEST(TsWindowScannerTest, AdaptationFieldIsNotPayload) {
  std::string packet = PesMore(0x100);
  packet[3] = '\x30';  // adaptation field and payload
  packet[4] = 10;       // adaptation field length
  TsWindowScanner scanner({0x100}, nullptr);
  scanner.Feed(packet);
  EXPECT_EQ(scanner.continuation_bytes(), kTsPacketSize - 4 - 11);
  EXPECT_FALSE(scanner.done());  // the PES goes on
}

TEST(TsWindowScannerTest, LearnsTheTablesWhileScanning) {
  const std::string pmt = Packet(0x1000, true, std::string("\x00\x02\xb0", 3));
  TsProgramTables tables;
  TsWindowScanner scanner({}, &tables);
  EXPECT_FALSE(scanner.done());
  scanner.Feed(Pat(0x1000) + PesStart(0x100) + pmt);
  EXPECT_TRUE(tables.complete());
  EXPECT_TRUE(scanner.done());
}

TEST(TsPacketScannerTest, ArbitraryBytesAreHandled) {
  std::mt19937 random(7);
  for (int round = 0; round < 500; ++round) {
    std::string data(random() % (8 * kTsPacketSize), '\0');
    for (char& c : data) c = static_cast<char>(random() % 4 == 0 ? 0x47 : random());
    TsProgramTables tables;
    CaptureProgramTables(data, &tables);
    TsWindowScanner scanner({0x100, 0x101, static_cast<int>(random() % 8192)}, &tables);
    scanner.Feed(data);
    EXPECT_LE(scanner.continuation_bytes(), data.size());
  }
}

}  // namespace
}  // namespace vms::media
