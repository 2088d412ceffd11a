// The hub side of offline codes: mint the 10 digits a lock will accept for a timed, one-time,
// clear-one or clear-all code (FF1-encrypting the plaintext the lock's verifier expects), and
// read the lock's DP 65/66/67 records back to the plaintext of the code that was used.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <tl/expected.hpp>

#include "domain/Secret.h"
#include "domain/codes/Aes128.h"
#include "domain/codes/CodeError.h"
#include "domain/codes/OfflineCodePlaintext.h"

namespace lockhub::domain::codes {

struct IssuedOfflineCode {
    SecretString code;  // the 10 digits to hand to the guest
    OfflineCodePlaintext plaintext;
    std::int64_t start;
    std::optional<std::int64_t> end;         // timed and clear-one
    std::optional<std::int64_t> activateBy;  // latest first use: timed, one-time, clear-all
};

class OfflineCodeIssuer {
public:
    static tl::expected<OfflineCodeIssuer, CodeErrc> create(const SecretString& loginKey,
                                                            std::uint32_t t0);

    std::uint32_t t0() const { return t0_; }

    // Times are Unix seconds on whole hours from the hour-floored T0. Errors: StartBeforeT0,
    // StartNotOnHour, StartTooLate, EndNotAfterStart, EndNotOnHour, DurationTooLong,
    // SerialOutOfRange.
    tl::expected<IssuedOfflineCode, CodeErrc> timed(std::int64_t start, std::int64_t end) const;
    tl::expected<IssuedOfflineCode, CodeErrc> oneTime(std::int64_t start,
                                                      std::uint32_t serial) const;
    // Clears the timed code issued with the same start and end.
    tl::expected<IssuedOfflineCode, CodeErrc> clearOne(std::int64_t start, std::int64_t end) const;
    tl::expected<IssuedOfflineCode, CodeErrc> clearAll(std::int64_t start,
                                                       std::uint32_t serial) const;

    // The code behind a lock's DP 65/66/67 record (MalformedReport, ReportTypeMismatch).
    tl::expected<OfflineCodePlaintext, CodeErrc> attribute(
        std::uint8_t dp, std::span<const std::uint8_t> value) const;

private:
    OfflineCodeIssuer(Secret<AesKey> key, std::uint32_t t0) : key_(std::move(key)), t0_(t0) {}

    tl::expected<std::uint32_t, CodeErrc> startHours(std::int64_t start) const;
    tl::expected<IssuedOfflineCode, CodeErrc> withDuration(OfflineCodeType type, std::int64_t start,
                                                           std::int64_t end) const;
    tl::expected<IssuedOfflineCode, CodeErrc> withSerial(OfflineCodeType type, std::int64_t start,
                                                         std::uint32_t serial) const;
    tl::expected<IssuedOfflineCode, CodeErrc> issue(OfflineCodeType type, std::uint32_t startHours,
                                                    std::uint32_t field) const;

    Secret<AesKey> key_;
    std::uint32_t t0_;
};

}  // namespace lockhub::domain::codes
