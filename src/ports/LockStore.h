// Port: durable state of paired locks, their records and the MQTT outbox (design §5). The SQLite
// adapter implements it; the app never sees SQL or the at-rest encryption of secrets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/Error.h"
#include "domain/Secret.h"

namespace lockhub::ports {

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
};

// A lock record (DP report) and the MQTT message announcing it, stored together.
struct StoredEvent {
    std::int64_t lockId = 0;
    std::uint8_t dp = 0;
    std::vector<std::uint8_t> value;
    std::int64_t lockTime = 0;  // the lock's timestamp (unix s), or the hub's when it sent none
    std::int64_t hubTimeMs = 0;
    std::string eventId;
    std::string topic;
    std::string payload;
};

struct OutboxEntry {
    std::int64_t id = 0;
    std::string topic;
    std::string payload;
    int qos = 1;
    bool retained = false;
};

class LockStore {
public:
    virtual ~LockStore() = default;

    // Conflict when the MAC or the topic is already paired.
    virtual Result<LockRecord> addLock(LockRecord lock, std::int64_t nowMs) = 0;
    virtual Result<std::vector<LockRecord>> locks() = 0;
    // NotFound for an unknown id. The lock's records stay (audit trail); its secrets are erased.
    virtual Result<void> removeLock(std::int64_t id) = 0;
    virtual Result<void> renameLock(std::int64_t id, const std::string& name) = 0;
    virtual Result<void> setT0(std::int64_t id, std::int64_t t0) = 0;

    // Stores the record and its outbox message in one transaction. Returns false, storing
    // nothing, when (lock, dp, value, lock time) is already stored: a replay after reconnect.
    virtual Result<bool> recordEvent(const StoredEvent& event) = 0;
    // Oldest first. When the outbox is full, recordEvent drops the oldest outbox row (never the
    // record), counts it and logs it; droppedOutbox() reports the count.
    virtual Result<std::vector<OutboxEntry>> pendingOutbox(std::size_t limit) = 0;
    virtual Result<void> removeOutbox(std::int64_t id) = 0;
    virtual Result<std::int64_t> droppedOutbox() = 0;
};

}  // namespace lockhub::ports
