#include "domain/codes/OfflineCodePlaintext.h"

#include <algorithm>

namespace lockhub::domain::codes {
namespace {

std::uint32_t digitsValue(std::string_view digits) {
    std::uint32_t value = 0;
    for (const char c : digits) {
        value = value * 10 + static_cast<std::uint32_t>(c - '0');
    }
    return value;
}

void appendPadded(std::string& out, std::uint32_t value, std::size_t width) {
    std::string digits(width, '0');
    for (std::size_t i = width; i > 0; --i) {
        digits[i - 1] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    out += digits;
}

}  // namespace

std::int64_t hourFloor(std::uint32_t t0) {
    return static_cast<std::int64_t>(t0) - static_cast<std::int64_t>(t0) % kSecondsPerHour;
}

bool carriesDuration(OfflineCodeType type) {
    return type == OfflineCodeType::Timed || type == OfflineCodeType::ClearOne;
}

std::optional<OfflineCodeType> offlineCodeTypeFromDigit(std::uint8_t digit) {
    switch (digit) {
        case 0:
            return OfflineCodeType::Timed;
        case 1:
            return OfflineCodeType::OneTime;
        case 8:
            return OfflineCodeType::ClearOne;
        case 9:
            return OfflineCodeType::ClearAll;
        default:
            return std::nullopt;
    }
}

std::optional<std::int64_t> activationWindowSeconds(OfflineCodeType type) {
    switch (type) {
        case OfflineCodeType::Timed:
        case OfflineCodeType::ClearAll:
            return 24 * kSecondsPerHour;
        case OfflineCodeType::OneTime:
            return 6 * kSecondsPerHour;
        case OfflineCodeType::ClearOne:
            break;
    }
    return std::nullopt;
}

tl::expected<OfflineCodePlaintext, CodeErrc> OfflineCodePlaintext::parse(std::string_view digits) {
    if (digits.size() != kLength ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return tl::unexpected(CodeErrc::MalformedCode);
    }
    return OfflineCodePlaintext(static_cast<std::uint8_t>(digits[0] - '0'),
                                digitsValue(digits.substr(1, 5)), digitsValue(digits.substr(6)));
}

tl::expected<OfflineCodePlaintext, CodeErrc> OfflineCodePlaintext::make(OfflineCodeType type,
                                                                        std::uint32_t startHours,
                                                                        std::uint32_t field) {
    if (startHours > kMaxStartHours) {
        return tl::unexpected(CodeErrc::StartTooLate);
    }
    if (field > kMaxField) {
        return tl::unexpected(carriesDuration(type) ? CodeErrc::DurationTooLong
                                                    : CodeErrc::SerialOutOfRange);
    }
    return OfflineCodePlaintext(static_cast<std::uint8_t>(type), startHours, field);
}

std::string OfflineCodePlaintext::digits() const {
    std::string out;
    out.reserve(kLength);
    appendPadded(out, typeDigit_, 1);
    appendPadded(out, startHours_, 5);
    appendPadded(out, field_, 4);
    return out;
}

std::int64_t OfflineCodePlaintext::startTime(std::uint32_t t0) const {
    return hourFloor(t0) + static_cast<std::int64_t>(startHours_) * kSecondsPerHour;
}

std::optional<std::int64_t> OfflineCodePlaintext::endTime(std::uint32_t t0) const {
    const auto codeType = type();
    if (!codeType || !carriesDuration(*codeType)) {
        return std::nullopt;
    }
    return startTime(t0) + static_cast<std::int64_t>(field_) * kSecondsPerHour;
}

}  // namespace lockhub::domain::codes
