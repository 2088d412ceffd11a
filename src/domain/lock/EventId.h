// A stable id for one lock record, unique across hubs and re-pairings (design §5): a record the
// lock replays after a reconnect (same DP, value and lock timestamp, same paired lock row) gets the
// same `event_id`, so consumers can drop the duplicate; the same record from another hub, or from
// the same lock paired again (a new lock row), gets another id.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace lockhub::domain {

struct EventKey {
    std::string_view hubId;
    std::int64_t lockId = 0;  // the store's row id of the paired lock
    std::uint8_t dp = 0;
    std::span<const std::uint8_t> value;  // the bytes the lock sent
    // The lock's timestamp (Unix s). A record without one cannot be recognised when replayed;
    // the hub's receive time and a per-hub sequence number then make its id unique instead.
    std::optional<std::int64_t> lockTime;
    std::int64_t hubTimeMs = 0;
    std::uint64_t sequence = 0;
    // Empty for the lock's own record; otherwise what the hub derived from it ("duress" for a
    // duress credential's unlock), so the derived event has an id of its own that a replay of the
    // record reproduces. Empty adds nothing to the encoding: the ids of plain records stay as
    // they were.
    std::string_view derived = {};
};

// The first 8 bytes of SHA-256 over the fields, length-prefixed so no two field lists share an
// encoding, as 16 lower-case hex digits.
std::string eventId(const EventKey& key);

}  // namespace lockhub::domain
