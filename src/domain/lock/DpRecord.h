// One data point as the lock sent it or as the hub will write it: id, wire type code (reference
// §1.11) and the value's bytes. Plain bytes keep the domain independent of the protocol library;
// the app converts at the edge.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace lockhub::domain {

namespace dptype {
inline constexpr std::uint8_t kRaw = 0;
inline constexpr std::uint8_t kBool = 1;
inline constexpr std::uint8_t kValue = 2;  // 4-byte signed big-endian
inline constexpr std::uint8_t kString = 3;
inline constexpr std::uint8_t kEnum = 4;    // 1, 2 or 4 bytes big-endian
inline constexpr std::uint8_t kBitmap = 5;  // 1, 2 or 4 bytes big-endian
}  // namespace dptype

struct DpRecord {
    std::uint8_t id = 0;
    std::uint8_t type = dptype::kRaw;
    std::vector<std::uint8_t> raw;

    bool operator==(const DpRecord&) const = default;
};

// "raw", "bool", "value", "string", "enum", "bitmap"; "unsupported" for codes outside 0-5.
std::string_view dpTypeName(std::uint8_t type);
std::optional<std::uint8_t> parseDpType(std::string_view name);

}  // namespace lockhub::domain
