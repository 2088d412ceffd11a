// The JSON payloads of a lock's MQTT topics (design §4, docs/mqtt-api.md "Lock topics"):
// `<lock>/state` (retained), `<lock>/event` and `<lock>/dp/<id>` for DPs the profile does not
// know. Times are ISO-8601 UTC. Payloads carry ids, never secrets: a credential is the lock's
// hardware id, not the PIN or card it stands for.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/lock/DpRecord.h"
#include "domain/lock/LockEvent.h"
#include "domain/lock/LockSnapshot.h"

namespace lockhub {

// What the link manager knows about the lock's radio link, next to its DP state.
struct LinkStatus {
    std::string link = "idle";               // idle, connecting, handshake, ready or backoff
    std::optional<int> rssi;                 // dBm, from the last advertisement
    std::optional<std::int64_t> lastSeenMs;  // hub time of the last advertisement or frame
    std::optional<std::int64_t> stateAtMs;   // hub time the lock state was last confirmed
    std::optional<std::int64_t>
        rtcDriftS;  // lock clock minus hub clock on live reports, once known
};

struct EventUser {
    std::int64_t id = 0;
    std::string name;
};

// An issued code an event names (docs/codes.md "Attribution").
struct EventCode {
    std::int64_t id = 0;
    std::string name;
    std::string type;  // dynamic, timed, one_time, clear_one, clear_all
};

// The codes behind an offline-code or dynamic-code record: `code` is the one it was when the hub
// can tell, null otherwise; `candidates` lists every possible one when there are several (dynamic
// codes of neighbouring steps); `cleared` the codes a clear code disabled.
struct EventCodes {
    std::vector<EventCode> matched;
    std::vector<EventCode> cleared;
};

// What the hub adds to a lock event.
struct EventEnvelope {
    std::string eventId;            // domain::eventId(...)
    std::optional<EventUser> user;  // who owns the credential, when the hub knows
    std::int64_t hubTimeMs = 0;     // when the hub received the report
    // Alarms: how many of this alarm the current burst holds (AlarmTracker).
    std::optional<int> count{};
    // Unlock requests: until when `<lock>/set` APPROVE / DENY answers it (UnlockRequests).
    std::optional<std::int64_t> expiresMs{};
    // Offline-code and dynamic-code records: the issued codes they were (adds `code`, and
    // `candidates` / `cleared` when there are any).
    std::optional<EventCodes> codes{};
};

std::string lockStatePayload(const domain::LockSnapshot& snapshot, const LinkStatus& link,
                             std::int64_t nowMs);
std::string lockEventPayload(const domain::LockEvent& event, const EventEnvelope& envelope);
// The value as lower-case hex, whatever its type, so any bytes survive JSON.
std::string rawDpPayload(const domain::DpRecord& dp, std::optional<std::int64_t> lockTime,
                         std::int64_t hubTimeMs);

// "2026-11-22T03:40:46Z" / "2026-11-22T03:40:46.123Z"; clamped to years 1970-9999.
std::string isoUtcSeconds(std::int64_t seconds);
std::string isoUtcMillis(std::int64_t milliseconds);

}  // namespace lockhub
