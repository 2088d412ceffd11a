// AES-128 in the one shape the Tuya code schemes use: CBC with an all-zero IV and no padding.
// FF1's PRF is exactly this (its CBC-MAC is the last ciphertext block), and so is the lock's
// DP 65/66/67 record, so one primitive serves both.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <tl/expected.hpp>
#include <vector>

#include "domain/codes/CodeError.h"

namespace lockhub::domain::codes {

inline constexpr std::size_t kAesBlockSize = 16;
using AesKey = std::array<std::uint8_t, 16>;

// `data` must be a whole number of blocks; anything else is a CryptoFailure (callers check
// lengths they accept from outside before calling).
tl::expected<std::vector<std::uint8_t>, CodeErrc> aes128CbcZeroIvEncrypt(
    const AesKey& key, std::span<const std::uint8_t> data);
tl::expected<std::vector<std::uint8_t>, CodeErrc> aes128CbcZeroIvDecrypt(
    const AesKey& key, std::span<const std::uint8_t> data);

}  // namespace lockhub::domain::codes
