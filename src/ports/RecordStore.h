// Port: reading and trimming the stored lock records (issue 12 "History", docs/records.md). The
// records themselves are written by LockStore::recordEvents, in the same transaction as their
// outbox row; this port never writes one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/Error.h"

namespace lockhub::ports {

// Every field that is set must match; hub times are Unix ms, since inclusive, until exclusive.
struct RecordFilter {
    std::optional<std::int64_t> lockId;
    std::optional<std::int64_t> userId;  // the owner of the credential when the record came in
    std::optional<std::string> method;
    std::optional<std::string> event;
    std::optional<std::int64_t> sinceMs;
    std::optional<std::int64_t> untilMs;
};

// A place in the records' order (hub time, then id): a page starts after it.
struct RecordPosition {
    std::int64_t hubTimeMs = 0;
    std::int64_t id = 0;

    bool operator==(const RecordPosition&) const = default;
};

struct StoredRecord {
    std::int64_t id = 0;
    std::int64_t lockId = 0;
    std::string lockTopic;  // also for a removed lock: its row keeps the topic
    std::uint8_t dp = 0;
    std::optional<std::int64_t> lockTime;
    std::int64_t hubTimeMs = 0;
    std::string eventId;
    // The `<lock>/event` message as it was published; empty for records stored before the store
    // kept it (schema version 10).
    std::string payload;
};

// The hub's `records_lost` events of one lock still in the history (lock/diagnose).
struct LostRecords {
    struct Gap {
        std::int64_t hubTimeMs = 0;  // when the hub found it
        std::string payload;         // its `<lock>/event` message (since, until, count)
    };
    std::int64_t gaps = 0;
    std::int64_t estimated = 0;  // the events' `count`s added up
    std::optional<Gap> latest;   // by hub time, then id
};

struct LockRecordCount {
    std::int64_t lockId = 0;
    std::int64_t count = 0;
};

class RecordStore {
public:
    virtual ~RecordStore() = default;

    // At most `limit` records matching `filter` after `after`, in hub time then id order.
    virtual Result<std::vector<StoredRecord>> queryRecords(
        const RecordFilter& filter, const std::optional<RecordPosition>& after,
        std::size_t limit) = 0;

    // The lock time of the lock's own record received last (none: no timed record yet); where a
    // replay after a restart picks up (LockTimeline).
    virtual Result<std::optional<std::int64_t>> lastLockTime(std::int64_t lockId) = 0;

    // What the lock's `records_lost` events say; none left after retention reads as no gap.
    virtual Result<LostRecords> lostRecords(std::int64_t lockId) = 0;

    // Retention, in small steps so no call holds the loop for long. Neither ever deletes a record
    // whose outbox message is still waiting for its PUBACK.
    virtual Result<std::vector<LockRecordCount>> recordCounts() = 0;
    // Deletes at most `limit` of the lock's oldest records (hub time, then id); returns how many.
    virtual Result<std::size_t> trimOldest(std::int64_t lockId, std::size_t limit) = 0;
    // Deletes at most `limit` records received before `hubTimeMs`, oldest first.
    virtual Result<std::size_t> trimBefore(std::int64_t hubTimeMs, std::size_t limit) = 0;
};

}  // namespace lockhub::ports
