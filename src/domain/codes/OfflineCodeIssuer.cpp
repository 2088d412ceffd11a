#include "domain/codes/OfflineCodeIssuer.h"

#include "domain/codes/CodeKeys.h"
#include "domain/codes/Ff1.h"
#include "domain/codes/OfflineCodeReport.h"

namespace lockhub::domain::codes {

tl::expected<OfflineCodeIssuer, CodeErrc> OfflineCodeIssuer::create(const SecretString& loginKey,
                                                                    std::uint32_t t0) {
    return offlineKeyFromLoginKey(loginKey).map(
        [t0](Secret<AesKey> key) { return OfflineCodeIssuer(std::move(key), t0); });
}

tl::expected<IssuedOfflineCode, CodeErrc> OfflineCodeIssuer::timed(std::int64_t start,
                                                                   std::int64_t end) const {
    return withDuration(OfflineCodeType::Timed, start, end);
}

tl::expected<IssuedOfflineCode, CodeErrc> OfflineCodeIssuer::oneTime(std::int64_t start,
                                                                     std::uint32_t serial) const {
    return withSerial(OfflineCodeType::OneTime, start, serial);
}

tl::expected<IssuedOfflineCode, CodeErrc> OfflineCodeIssuer::clearOne(std::int64_t start,
                                                                      std::int64_t end) const {
    return withDuration(OfflineCodeType::ClearOne, start, end);
}

tl::expected<IssuedOfflineCode, CodeErrc> OfflineCodeIssuer::clearAll(std::int64_t start,
                                                                      std::uint32_t serial) const {
    return withSerial(OfflineCodeType::ClearAll, start, serial);
}

tl::expected<OfflineCodePlaintext, CodeErrc> OfflineCodeIssuer::attribute(
    std::uint8_t dp, std::span<const std::uint8_t> value) const {
    return readOfflineCodeReport(key_.reveal(), dp, value);
}

tl::expected<std::uint32_t, CodeErrc> OfflineCodeIssuer::startHours(std::int64_t start) const {
    const std::int64_t epoch = hourFloor(t0_);
    if (start < epoch) {
        return tl::unexpected(CodeErrc::StartBeforeT0);
    }
    // start >= epoch >= 0, so the difference cannot overflow.
    const std::int64_t offset = start - epoch;
    if (offset % kSecondsPerHour != 0) {
        return tl::unexpected(CodeErrc::StartNotOnHour);
    }
    if (offset / kSecondsPerHour > OfflineCodePlaintext::kMaxStartHours) {
        return tl::unexpected(CodeErrc::StartTooLate);
    }
    return static_cast<std::uint32_t>(offset / kSecondsPerHour);
}

tl::expected<IssuedOfflineCode, CodeErrc> OfflineCodeIssuer::withDuration(OfflineCodeType type,
                                                                          std::int64_t start,
                                                                          std::int64_t end) const {
    const auto hours = startHours(start);
    if (!hours) {
        return tl::unexpected(hours.error());
    }
    if (end <= start) {
        return tl::unexpected(CodeErrc::EndNotAfterStart);
    }
    const std::int64_t duration = end - start;
    if (duration % kSecondsPerHour != 0) {
        return tl::unexpected(CodeErrc::EndNotOnHour);
    }
    if (duration / kSecondsPerHour > OfflineCodePlaintext::kMaxField) {
        return tl::unexpected(CodeErrc::DurationTooLong);
    }
    return issue(type, *hours, static_cast<std::uint32_t>(duration / kSecondsPerHour));
}

tl::expected<IssuedOfflineCode, CodeErrc> OfflineCodeIssuer::withSerial(
    OfflineCodeType type, std::int64_t start, std::uint32_t serial) const {
    const auto hours = startHours(start);
    if (!hours) {
        return tl::unexpected(hours.error());
    }
    if (serial > OfflineCodePlaintext::kMaxSerial) {
        return tl::unexpected(CodeErrc::SerialOutOfRange);
    }
    return issue(type, *hours, serial);
}

tl::expected<IssuedOfflineCode, CodeErrc> OfflineCodeIssuer::issue(OfflineCodeType type,
                                                                   std::uint32_t startHours,
                                                                   std::uint32_t field) const {
    const auto plaintext = OfflineCodePlaintext::make(type, startHours, field);
    if (!plaintext) {
        return tl::unexpected(plaintext.error());
    }
    auto code = Ff1(key_.reveal()).encrypt(plaintext->digits());
    if (!code) {
        return tl::unexpected(code.error());
    }
    const std::int64_t start = plaintext->startTime(t0_);
    std::optional<std::int64_t> activateBy;
    if (const auto window = activationWindowSeconds(type)) {
        activateBy = start + *window;
    }
    return IssuedOfflineCode{SecretString(std::move(*code)), *plaintext, start,
                             plaintext->endTime(t0_), activateBy};
}

}  // namespace lockhub::domain::codes
