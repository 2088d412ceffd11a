// The 10-digit plaintext behind an offline code (reference §3.3): a type digit, the start as
// whole hours after the hour-floored T0 (5 digits), then either a duration in hours or a serial
// (4 digits). FF1 turns it into the digits a user types.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "domain/codes/CodeError.h"

namespace lockhub::domain::codes {

enum class OfflineCodeType : std::uint8_t {
    Timed = 0,
    OneTime = 1,
    ClearOne = 8,
    ClearAll = 9,
};

inline constexpr std::int64_t kSecondsPerHour = 3600;

// The epoch of every offline code: the lock's T0 rounded down to the hour.
std::int64_t hourFloor(std::uint32_t t0);

// Timed and clear-one codes carry a duration in their last four digits, the others a serial.
bool carriesDuration(OfflineCodeType type);

std::optional<OfflineCodeType> offlineCodeTypeFromDigit(std::uint8_t digit);

// How long after its start a code may be used for the first time (24 h timed and clear-all,
// 6 h one-time); a clear-one has no such window, only its start and end.
std::optional<std::int64_t> activationWindowSeconds(OfflineCodeType type);

class OfflineCodePlaintext {
public:
    static constexpr std::size_t kLength = 10;
    static constexpr std::uint32_t kMaxStartHours = 99999;
    static constexpr std::uint32_t kMaxField = 9999;
    // The lock refuses one-time and clear-all serials above this.
    static constexpr std::uint32_t kMaxSerial = 10;

    // Any 10 ASCII digits. The type digit stays raw: the lock must be able to answer an unknown
    // type with its own result code.
    static tl::expected<OfflineCodePlaintext, CodeErrc> parse(std::string_view digits);
    // StartTooLate / DurationTooLong / SerialOutOfRange when a value does not fit its digits.
    static tl::expected<OfflineCodePlaintext, CodeErrc> make(OfflineCodeType type,
                                                             std::uint32_t startHours,
                                                             std::uint32_t field);

    std::uint8_t typeDigit() const { return typeDigit_; }
    std::optional<OfflineCodeType> type() const { return offlineCodeTypeFromDigit(typeDigit_); }
    std::uint32_t startHours() const { return startHours_; }
    // Duration in hours (timed, clear-one) or serial (one-time, clear-all).
    std::uint32_t field() const { return field_; }
    // Digits 1-9 as one number: what the lock's table stores, and what a clear-one shares with
    // the timed code it clears.
    std::uint32_t body() const { return startHours_ * (kMaxField + 1) + field_; }
    std::string digits() const;

    std::int64_t startTime(std::uint32_t t0) const;
    // Only timed and clear-one codes have an end; the others have none.
    std::optional<std::int64_t> endTime(std::uint32_t t0) const;

    bool operator==(const OfflineCodePlaintext&) const = default;

private:
    OfflineCodePlaintext(std::uint8_t typeDigit, std::uint32_t startHours, std::uint32_t field)
        : typeDigit_(typeDigit), startHours_(startHours), field_(field) {}

    std::uint8_t typeDigit_;
    std::uint32_t startHours_;
    std::uint32_t field_;
};

}  // namespace lockhub::domain::codes
