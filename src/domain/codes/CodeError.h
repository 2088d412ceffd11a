// Why a code operation failed. A closed enum (not a free-form message) so tests and the hub can
// branch on the exact reason; the text never contains key or code digits.
#pragma once

#include <string_view>

#include "domain/Error.h"

namespace lockhub::domain::codes {

enum class CodeErrc {
    InvalidLoginKey,     // not exactly 6 bytes
    InvalidKey,          // an FF1 / AES key that is not 16 bytes
    InvalidTime,         // outside the lock's 32-bit clock, or before the first dynamic step
    MalformedCode,       // wrong length or a non-digit
    StartBeforeT0,       // start earlier than the hour-floored T0
    StartNotOnHour,      // offline codes have one-hour granularity
    StartTooLate,        // start hour does not fit the 5-digit field
    EndNotAfterStart,    // an empty or negative validity period
    EndNotOnHour,        // duration must be whole hours
    DurationTooLong,     // duration does not fit the 4-digit field
    SerialOutOfRange,    // the lock refuses serials above 10
    MalformedReport,     // a DP 65/66/67 value that does not decrypt to the offline-code layout
    ReportTypeMismatch,  // the decrypted code type does not belong to that DP
    MalformedTable,      // a stored offline-code table with an entry the lock could not hold
    CryptoFailure,       // OpenSSL failed (allocation); not caused by the input
};

std::string_view describe(CodeErrc code);

// For the app layer, which speaks lockhub::Error: everything is the caller's fault except
// CryptoFailure.
Error toError(CodeErrc code);

}  // namespace lockhub::domain::codes
