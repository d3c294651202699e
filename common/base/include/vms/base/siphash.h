#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace vms {

// SipHash-2-4 (Aumasson and Bernstein): a keyed 64-bit hash. With a random
// key it identifies a value (a viewer's address and user agent) without
// holding or revealing it, and without letting a client craft collisions.
using SipKey = std::array<std::uint64_t, 2>;
std::uint64_t SipHash24(const SipKey& key, std::string_view data);

// A key from the kernel's random source (getrandom).
SipKey RandomSipKey();

}  // namespace vms
