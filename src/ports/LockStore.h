// Port: durable state of paired locks, their records and the MQTT outbox (design §5). The SQLite
// adapter implements it; the app never sees SQL or the at-rest encryption of secrets.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/Error.h"
#include "domain/Secret.h"
#include "ports/OutboxStore.h"

namespace lockhub::ports {

// How the hub keeps in touch with one lock (issue 9 §5); an absent field follows the
// configuration's `locks.*` default.
struct LockPolicy {
    std::optional<std::string> mode;  // "on_demand", "keep_alive" or "always"
    std::optional<std::int64_t> keepAliveS;
    std::optional<std::int64_t> pollIntervalS;
    // Offline after this long without hearing from the lock (0: twice its advertising interval
    // as seen, at least 10 minutes).
    std::optional<std::int64_t> availabilityTimeoutS;

    bool operator==(const LockPolicy&) const = default;
};

// A paired lock with its secrets decrypted in memory.
struct LockRecord {
    std::int64_t id = 0;  // assigned by the store
    std::string topic;    // [a-z0-9_-]{1,64}: the <lock> level of its MQTT topics; unique
    std::string name;     // display name
    std::string mac;      // "AA:BB:CC:DD:EE:FF"; unique among paired locks
    std::string productId;
    std::string uuid;         // Tuya device UUID (16 ASCII)
    std::string deviceId;     // Tuya virtual id (≤ 22 ASCII)
    SecretString localKey;    // encrypted at rest, never published or logged
    int protocolVersion = 3;  // 3 or 4
    std::string profile = "tuya-ble-lock";
    std::optional<std::int64_t> t0;  // offline-code epoch, once known
    LockPolicy policy;
};

// A lock record (one DP of a report) and the MQTT message announcing it, stored together.
struct StoredEvent {
    std::int64_t lockId = 0;
    std::uint8_t dp = 0;
    std::vector<std::uint8_t> value;       // the DP's value bytes exactly as the lock sent them
    std::optional<std::int64_t> lockTime;  // the lock's timestamp (unix s), absent if it sent none
    std::int64_t hubTimeMs = 0;            // when the hub received it
    // Empty for the lock's own record; "duress" for the duress event the hub raises beside the
    // unlock of a credential flagged duress, "arrived" for a user's first unlock after a quiet
    // period. Part of the replay key, so a record and the event
    // derived from it are two rows, and a replay of the report reproduces both keys.
    std::string derived;
    std::string eventId;  // unique across hubs and re-pairings (domain/EventId.h)
    // Empty: a record with no message of its own (an alarm merged into the one before it); it
    // gets no outbox row.
    std::string topic;
    std::string payload;
};

// What recordEvents did with one event of the batch.
struct RecordOutcome {
    // Duplicate: a record with the same (lock, dp, value, lock time, derived) is already stored
    // (the lock replayed it after a reconnect), or appears earlier in the same batch; nothing was
    // written.
    enum class Kind { Stored, Duplicate };
    Kind kind = Kind::Stored;
    std::int64_t recordId = 0;  // 0 for a duplicate
    // 0 for a duplicate and for a record without a topic. When the batch alone holds more messages
    // than the outbox bound, its oldest rows are dropped in the same commit, so this id may already
    // be gone.
    std::int64_t outboxId = 0;
};

class LockStore : public OutboxStore {
public:
    // Conflict when the MAC or the topic is already paired.
    virtual Result<LockRecord> addLock(LockRecord lock, std::int64_t nowMs) = 0;
    virtual Result<std::vector<LockRecord>> locks() = 0;
    // NotFound for an unknown id. The lock's records stay (audit trail); its secrets are erased.
    virtual Result<void> removeLock(std::int64_t id) = 0;
    virtual Result<void> renameLock(std::int64_t id, const std::string& name) = 0;
    virtual Result<void> setT0(std::int64_t id, std::int64_t t0) = 0;
    // The lock now advertises under another address (recognised by its device UUID). Conflict
    // when another paired lock holds that MAC; BadRequest for a malformed one.
    virtual Result<void> setMac(std::int64_t id, const std::string& mac) = 0;
    // Replaces the lock's whole policy (absent fields: back to the configuration's default).
    // NotFound for an unknown or removed lock; BadRequest for a mode other than the three.
    virtual Result<void> setPolicy(std::int64_t id, const LockPolicy& policy) = 0;

    // Group commit (design §5): every event of the batch and its outbox row in ONE transaction,
    // one outcome per event in order. Records with a lock time are de-duplicated by (lock, dp,
    // value, lock time, derived); records without one are never de-duplicated here (the session
    // drops the lock's retransmissions). On any error nothing of the batch is stored: the caller
    // must not acknowledge the reports, so the lock keeps them and sends them again. NotFound
    // (naming the lock) when an event's lock is not an active lock; an event_id already stored is a
    // Storage error, because ids are unique by construction. An empty batch succeeds, storing
    // nothing.
    virtual Result<std::vector<RecordOutcome>> recordEvents(
        std::span<const StoredEvent> events) = 0;
    // The outbox itself (enqueueOutbox, pendingOutbox, removeOutbox, droppedOutbox) is
    // ports::OutboxStore.
};

}  // namespace lockhub::ports
