// A stable id for one lock record, so a record the lock replays after a reconnect (same DP, value
// and lock timestamp) gets the same `event_id` and consumers can drop the duplicate (design §5).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace lockhub::domain {

// The first 8 bytes of SHA-256 over the fields, length-prefixed so no two field lists share an
// encoding, as 16 lower-case hex digits. `lockTime` is the hub's time when the lock sent none.
std::string eventId(std::string_view lockTopic, std::uint8_t dp, std::span<const std::uint8_t> raw,
                    std::int64_t lockTime);

}  // namespace lockhub::domain
