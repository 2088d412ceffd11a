// ports::LockStore on the store's SQLite connection (design §5, docs/storage.md "Lock store").
//
// A removed lock stays as a row with `removed_at` set and its secrets erased, because its
// records reference it; MAC and topic are unique among active locks only, so a removed lock's
// MAC can be paired again (it gets a new id). Lock secrets (UUID, device id, local key) are one
// AES-256-GCM blob per row, bound to the row id (SecretBox). Every change is one transaction;
// a batch of events is one, too (group commit: one fsync for the batch, design §5).
//
// Single-threaded: the event loop owns the store (design §2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "adapters/sqlite/Database.h"
#include "adapters/sqlite/OutboxTable.h"
#include "adapters/sqlite/SecretBox.h"
#include "adapters/sqlite/SqliteCloudOutbox.h"
#include "ports/LockStore.h"

namespace lockhub::adapters::sqlite {

class SqliteLockStore final : public ports::LockStore {
public:
    static constexpr std::size_t kDefaultOutboxLimit = 10000;

    // `db` is SqliteStore::database(), already migrated; it must outlive this object.
    // `outboxLimit` is the most outbox rows kept; 0 counts as 1 (every message needs a row
    // until its PUBACK).
    SqliteLockStore(Database& db, SecretBox secrets, std::size_t outboxLimit = kDefaultOutboxLimit);

    // BadRequest for a malformed topic, MAC or protocol version, an empty name, a secret field
    // over 65535 bytes, or a policy setPolicy would refuse. A lowercase MAC is stored and
    // returned in upper case.
    Result<ports::LockRecord> addLock(ports::LockRecord lock, std::int64_t nowMs) override;
    // Active locks, by id. A row whose secrets do not decrypt fails the whole call with a
    // Storage error naming that lock: a wrong key must never look like an empty hub.
    Result<std::vector<ports::LockRecord>> locks() override;
    Result<void> removeLock(std::int64_t id) override;
    // BadRequest for an empty name.
    Result<void> renameLock(std::int64_t id, const std::string& name) override;
    Result<void> setT0(std::int64_t id, std::int64_t t0) override;
    Result<void> setMac(std::int64_t id, const std::string& mac) override;
    // BadRequest (checked before the id) for an unknown mode or a negative number of seconds.
    Result<void> setPolicy(std::int64_t id, const ports::LockPolicy& policy) override;

    // Group commit: one transaction, statements prepared once per connection. NotFound (naming
    // the first such lock) when an event's lock is not an active lock, and then nothing of the
    // batch is stored. Outbox rows for records are QoS 1, not retained, created at the hub time.
    Result<std::vector<ports::RecordOutcome>> recordEvents(
        std::span<const ports::StoredEvent> events) override;
    // BadRequest for a QoS other than 0, 1 or 2.
    Result<std::int64_t> enqueueOutbox(const ports::OutboxMessage& message) override;
    Result<std::vector<ports::OutboxEntry>> pendingOutbox(std::size_t limit,
                                                          std::int64_t afterId = 0) override;
    Result<void> removeOutbox(std::span<const std::int64_t> ids) override;
    void removeOutboxLater(std::span<const std::int64_t> ids) override;
    Result<std::int64_t> droppedOutbox() override;

    // With a cloud link: every `<lock>/event` message also goes into `mirror`, in the same
    // transaction as its record; `mirror` must outlive this object.
    void mirrorEventsTo(SqliteCloudOutbox& mirror) { mirror_ = &mirror; }

private:
    Result<ports::RecordOutcome> recordOne(const ports::StoredEvent& event);
    void trimMirror();

    Database& db_;
    SecretBox secrets_;
    OutboxTable outbox_;
    SqliteCloudOutbox* mirror_ = nullptr;
};

}  // namespace lockhub::adapters::sqlite
