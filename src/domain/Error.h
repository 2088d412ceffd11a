// Errors as values for the core and the app layer (design §2): a stable code plus a message for
// the person reading the log or the MQTT response. No exception crosses the event loop.
#pragma once

#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace lockhub {

// The names are part of the MQTT contract (`error.code`); append, never renumber or rename.
enum class Errc {
    BadRequest,
    TooLarge,
    UnknownOp,
    NotFound,
    AuthFailed,
    Timeout,
    Busy,
    Unavailable,
    Internal,
    Config,
    Storage,
    Conflict,
    Rejected,
    Cancelled,
    Forbidden,            // the configuration denies this operation (access.denied_ops)
    LockedOut,            // too many wrong codes recently
    T0Unknown,            // no offline code for a lock whose T0 the hub does not know
    ClockUnsynchronised,  // no time-based code while the hub clock is not synchronised
    LimitReached,         // a per-lock limit of the lock itself
    SealedInvalid,        // a sealed secret that does not open with the hub's key
    SealedRequired,       // a plain secret where mqtt.require_sealed_secrets wants it sealed
    InvalidReplyKey,      // a reply_key that is not a base64 X25519 public key
};

std::string_view errcName(Errc code);

struct Error {
    Errc code;
    std::string message;
};

template <typename T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> fail(Errc code, std::string message) {
    return tl::unexpected<Error>(Error{code, std::move(message)});
}

}  // namespace lockhub
