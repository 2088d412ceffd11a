// Unix milliseconds as 13 ASCII digits: the time form of 0x8003/0x8007 records and 0x8011 answers.
#pragma once

#include <cstddef>
#include <cstdint>

#include "protocol/tuya/Bytes.h"
#include "protocol/tuya/ProtocolError.h"

namespace lockhub::protocol::tuya {

inline constexpr std::size_t kAsciiMillisSize = 13;
inline constexpr std::int64_t kMaxAsciiMillis = 9'999'999'999'999;

// BadTimeFormat outside 0..kMaxAsciiMillis.
ProtocolResult<void> appendAsciiMillis(Bytes& out, std::int64_t unixMs);
// Reads exactly 13 digits: Short when fewer bytes, BadTimeFormat for a non-digit.
ProtocolResult<std::int64_t> readAsciiMillis(ByteView bytes);

}  // namespace lockhub::protocol::tuya
