#include "domain/Error.h"

namespace lockhub {

std::string_view errcName(Errc code) {
    switch (code) {
        case Errc::BadRequest:
            return "bad_request";
        case Errc::TooLarge:
            return "too_large";
        case Errc::UnknownOp:
            return "unknown_op";
        case Errc::NotFound:
            return "not_found";
        case Errc::AuthFailed:
            return "auth_failed";
        case Errc::Timeout:
            return "timeout";
        case Errc::Busy:
            return "busy";
        case Errc::Unavailable:
            return "unavailable";
        case Errc::Internal:
            return "internal";
        case Errc::Config:
            return "config";
        case Errc::Storage:
            return "storage";
        case Errc::Conflict:
            return "conflict";
        case Errc::Rejected:
            return "rejected";
        case Errc::Cancelled:
            return "cancelled";
        case Errc::Forbidden:
            return "forbidden";
        case Errc::LockedOut:
            return "locked_out";
        case Errc::T0Unknown:
            return "t0_unknown";
        case Errc::ClockUnsynchronised:
            return "clock_unsynchronised";
        case Errc::LimitReached:
            return "limit_reached";
        case Errc::SealedInvalid:
            return "sealed_invalid";
        case Errc::SealedRequired:
            return "sealed_required";
        case Errc::InvalidReplyKey:
            return "invalid_reply_key";
    }
    return "internal";
}

}  // namespace lockhub
