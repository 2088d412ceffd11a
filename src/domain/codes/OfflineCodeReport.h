// The record a lock sends after accepting an offline code (reference §2.2, §3.3): DP 67 for an
// unlock, 65 for a clear-one, 66 for a clear-all, each 16 raw bytes
// AES-128-CBC(offline key, zero IV, ASCII "000000" + the 10 plaintext digits). The lock builds it;
// the hub decrypts it to learn which code was used.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <tl/expected.hpp>

#include "domain/codes/Aes128.h"
#include "domain/codes/CodeError.h"
#include "domain/codes/OfflineCodePlaintext.h"

namespace lockhub::domain::codes {

inline constexpr std::uint8_t kDpOfflineClearOne = 65;
inline constexpr std::uint8_t kDpOfflineClearAll = 66;
inline constexpr std::uint8_t kDpOfflineUnlock = 67;

using OfflineReportValue = std::array<std::uint8_t, kAesBlockSize>;

struct OfflineCodeReport {
    std::uint8_t dp;
    OfflineReportValue value;

    bool operator==(const OfflineCodeReport&) const = default;
};

// The DP a lock reports after accepting a code of this type.
std::uint8_t reportDpFor(OfflineCodeType type);

tl::expected<OfflineReportValue, CodeErrc> encryptOfflineCodeReport(
    const AesKey& offlineKey, const OfflineCodePlaintext& plaintext);

// MalformedReport unless `value` is 16 bytes that decrypt to "000000" + 10 digits;
// ReportTypeMismatch unless the code's type is one the lock reports on `dp`.
tl::expected<OfflineCodePlaintext, CodeErrc> readOfflineCodeReport(
    const AesKey& offlineKey, std::uint8_t dp, std::span<const std::uint8_t> value);

}  // namespace lockhub::domain::codes
