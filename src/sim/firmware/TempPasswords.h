// Temporary passwords pushed by the hub (DP 51 create, DP 52 delete, DP 53 modify; reference
// §2.3): at most 10, hardware ids 0-9, each with a validity window and a use count.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "sim/firmware/FirmwareOutput.h"
#include "sim/firmware/Validity.h"

namespace lockhub::sim {

inline constexpr std::size_t kMaxTempPasswords = 10;

struct TempPassword {
    std::uint8_t hardwareId = 0;
    std::uint8_t type = 0;
    Validity validity;
    std::uint8_t usesLeft = 0;  // 0 = unlimited
    bool usedUp = false;
    std::vector<std::uint8_t> pin;  // digit values
};

class TempPasswords {
public:
    // Each returns false for a malformed request; results are replied as `[hw id, result]`.
    bool create(const std::vector<std::uint8_t>& raw, FirmwareOutput& out);
    bool remove(const std::vector<std::uint8_t>& raw, FirmwareOutput& out);
    bool modify(const std::vector<std::uint8_t>& raw, FirmwareOutput& out);

    // Spends one use of the password a keypad entry matches; its hardware id, if any.
    std::optional<std::uint8_t> use(std::string_view digits, std::int64_t now);
    const std::map<std::uint8_t, TempPassword>& entries() const { return entries_; }

private:
    std::map<std::uint8_t, TempPassword> entries_;
};

}  // namespace lockhub::sim
