// Answers to the lock's time requests (§1.14), sent with the request's cmd and ack_seq = its seq.
//   0x8011: 13 ASCII digits of Unix ms || int16 BE zone (hundredths of an hour east of UTC)
//   0x8012: year-2000, month, day, hour, minute, second, weekday (1 byte each) || int16 BE zone
// We answer in UTC fields; the zone is informational for the lock (offline codes use UTC).
#pragma once

#include <cstdint>

#include "protocol/tuya/Bytes.h"
#include "protocol/tuya/Command.h"
#include "protocol/tuya/ProtocolError.h"

namespace lockhub::protocol::tuya {

struct TimeAnswer {
    std::int64_t unixMs = 0;
    std::int16_t zone = 0;  // hundredths of an hour east of UTC: UTC+2 = 200

    bool operator==(const TimeAnswer&) const = default;
};

// BadPayload for a time outside 0 .. 9999999999999 ms (0x8011) or years 2000-2255 (0x8012).
ProtocolResult<Bytes> encodeTimeAnswer(Command request, const TimeAnswer& answer);
// 0x8012 answers lose their milliseconds; the weekday byte is not checked (the SDK ignores it).
ProtocolResult<TimeAnswer> decodeTimeAnswer(Command request, ByteView data);

}  // namespace lockhub::protocol::tuya
