#include "domain/codes/CodeError.h"

#include <string>

namespace lockhub::domain::codes {

std::string_view describe(CodeErrc code) {
    switch (code) {
        case CodeErrc::InvalidLoginKey:
            return "login key must be exactly 6 bytes";
        case CodeErrc::InvalidKey:
            return "key must be exactly 16 bytes";
        case CodeErrc::InvalidTime:
            return "time is outside the range a lock clock can hold";
        case CodeErrc::MalformedCode:
            return "code has the wrong length or a non-digit character";
        case CodeErrc::StartBeforeT0:
            return "start is before the lock's T0 hour";
        case CodeErrc::StartNotOnHour:
            return "start must be on a whole hour";
        case CodeErrc::StartTooLate:
            return "start is too far after the lock's T0 (more than 99999 hours)";
        case CodeErrc::EndNotAfterStart:
            return "end must be after start";
        case CodeErrc::EndNotOnHour:
            return "end must be a whole number of hours after start";
        case CodeErrc::DurationTooLong:
            return "duration is longer than 9999 hours";
        case CodeErrc::SerialOutOfRange:
            return "serial must be between 0 and 10";
        case CodeErrc::MalformedReport:
            return "offline-code report is not a valid 16-byte record";
        case CodeErrc::ReportTypeMismatch:
            return "offline-code report type does not match its data point";
        case CodeErrc::MalformedTable:
            return "stored offline-code table holds an impossible entry";
        case CodeErrc::CryptoFailure:
            return "cryptographic primitive failed";
    }
    return "unknown code error";
}

Error toError(CodeErrc code) {
    const Errc errc = code == CodeErrc::CryptoFailure ? Errc::Internal : Errc::BadRequest;
    return Error{errc, std::string(describe(code))};
}

}  // namespace lockhub::domain::codes
