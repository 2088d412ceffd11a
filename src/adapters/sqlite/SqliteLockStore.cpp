#include "adapters/sqlite/SqliteLockStore.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "adapters/sqlite/BoundQuery.h"
#include "adapters/sqlite/LockPolicyRules.h"
#include "adapters/sqlite/LockSecrets.h"
#include "adapters/sqlite/StorageError.h"
#include "adapters/sqlite/Transaction.h"
#include "app/Log.h"
#include "domain/lock/LockAddress.h"

namespace lockhub::adapters::sqlite {
namespace {

constexpr const char* kEmptyName = "a lock's name must not be empty";

tl::unexpected<Error> notFound(std::int64_t id) {
    return fail(Errc::NotFound, "no paired lock has id " + std::to_string(id));
}

// Associated data for a lock's secrets blob: the row identity, so blobs cannot be swapped.
std::string secretsAad(std::int64_t id) {
    return "lockhub lock " + std::to_string(id) + " secrets";
}

Result<void> validate(const ports::LockRecord& lock) {
    if (!domain::isTopic(lock.topic)) {
        return fail(Errc::BadRequest, "lock topic '" + lock.topic +
                                          "' must be 1-64 characters of a-z, 0-9, '_' and '-'");
    }
    if (lock.name.empty()) {
        return fail(Errc::BadRequest, kEmptyName);
    }
    if (!domain::normalizedMac(lock.mac)) {
        return fail(Errc::BadRequest,
                    "lock MAC '" + lock.mac + "' is not of the form AA:BB:CC:DD:EE:FF");
    }
    if (lock.protocolVersion != 3 && lock.protocolVersion != 4) {
        return fail(Errc::BadRequest, "lock protocol version " +
                                          std::to_string(lock.protocolVersion) +
                                          " is not supported (3 or 4)");
    }
    return validatePolicy(lock.policy);
}

// Finds the active lock holding `column` = value, for a Conflict message that names it.
Result<std::optional<std::string>> activeHolder(Database& db, std::string_view sql,
                                                std::initializer_list<Param> params) {
    auto row = firstRow(db, sql, params);
    if (!row) {
        return tl::unexpected(std::move(row.error()));
    }
    if (!*row) {
        return std::optional<std::string>();
    }
    return "lock '" + (*row)->columnText(1) + "' (id " + std::to_string((*row)->columnInt(0)) + ")";
}

Result<void> checkConflicts(Database& db, const ports::LockRecord& lock) {
    auto byMac = activeHolder(
        db, "SELECT id, topic FROM locks WHERE mac = ?1 AND removed_at IS NULL", {lock.mac});
    if (!byMac) {
        return tl::unexpected(std::move(byMac.error()));
    }
    if (*byMac) {
        return fail(Errc::Conflict, "MAC " + lock.mac + " is already paired as " + **byMac);
    }
    auto byTopic = activeHolder(
        db, "SELECT id, topic FROM locks WHERE topic = ?1 AND removed_at IS NULL", {lock.topic});
    if (!byTopic) {
        return tl::unexpected(std::move(byTopic.error()));
    }
    if (*byTopic) {
        return fail(Errc::Conflict, "topic '" + lock.topic + "' is already used by " + **byTopic);
    }
    return {};
}

constexpr std::string_view kSelectLocks = R"sql(
    SELECT id, topic, name, mac, product_id, profile, protocol_version, secrets, t0,
           policy, keep_alive_s, poll_interval_s, availability_timeout_s
    FROM locks WHERE removed_at IS NULL ORDER BY id
)sql";

Result<ports::LockRecord> readLock(const Database& db, const SecretBox& box, const Statement& row) {
    ports::LockRecord lock;
    lock.id = row.columnInt(0);
    lock.topic = row.columnText(1);
    lock.name = row.columnText(2);
    lock.mac = row.columnText(3);
    lock.productId = row.columnText(4);
    lock.profile = row.columnText(5);
    lock.protocolVersion = static_cast<int>(row.columnInt(6));
    lock.t0 = optionalInt(row, 8);
    if (!row.isNull(9)) {
        lock.policy.mode = row.columnText(9);
    }
    lock.policy.keepAliveS = optionalInt(row, 10);
    lock.policy.pollIntervalS = optionalInt(row, 11);
    lock.policy.availabilityTimeoutS = optionalInt(row, 12);
    const std::string who =
        "lock '" + lock.topic + "' (id " + std::to_string(lock.id) + ", " + lock.mac + ")";
    if (row.isNull(7)) {
        return tl::unexpected(storageError(db.path(), who + " has no stored secrets"));
    }
    auto plain = box.open(row.columnBlob(7), secretsAad(lock.id));
    if (!plain) {
        return tl::unexpected(storageError(
            db.path(), "the stored secrets of " + who +
                           " cannot be decrypted: the secrets key is not the one they were "
                           "written with, or the database was altered; restore the key (or the "
                           "database) or pair the lock again"));
    }
    auto secrets = decodeLockSecrets(*plain);
    OPENSSL_cleanse(plain->data(), plain->size());
    if (!secrets) {
        return tl::unexpected(
            storageError(db.path(), "the stored secrets of " + who + " are malformed"));
    }
    lock.uuid = std::move(secrets->uuid);
    lock.deviceId = std::move(secrets->deviceId);
    lock.localKey = std::move(secrets->localKey);
    return lock;
}

// NotFound for the first event (in batch order) whose lock is not active: an event for a lock
// that was removed (or never paired) must not be stored, or acknowledged, as if it were.
Result<void> checkActiveLocks(Database& db, std::span<const ports::StoredEvent> events) {
    std::vector<std::int64_t> checked;
    for (const auto& event : events) {
        if (std::find(checked.begin(), checked.end(), event.lockId) != checked.end()) {
            continue;
        }
        auto stmt = cachedBound(db, "SELECT 1 FROM locks WHERE id = ?1 AND removed_at IS NULL",
                                {event.lockId});
        if (!stmt) {
            return tl::unexpected(std::move(stmt.error()));
        }
        auto active = firstInt(**stmt);
        if (!active) {
            return tl::unexpected(std::move(active.error()));
        }
        if (!*active) {
            return notFound(event.lockId);
        }
        checked.push_back(event.lockId);
    }
    return {};
}

}  // namespace

SqliteLockStore::SqliteLockStore(Database& db, SecretBox secrets, std::size_t outboxLimit)
    : db_(db), secrets_(std::move(secrets)), outbox_(db, outboxLimit) {}

Result<ports::LockRecord> SqliteLockStore::addLock(ports::LockRecord lock, std::int64_t nowMs) {
    if (auto valid = validate(lock); !valid) {
        return tl::unexpected(std::move(valid.error()));
    }
    lock.mac = *domain::normalizedMac(lock.mac);
    auto plain = encodeLockSecrets({lock.uuid, lock.deviceId, lock.localKey});
    if (!plain) {
        return fail(Errc::BadRequest, "a secret of lock '" + lock.topic + "' is too long");
    }
    auto tx = Transaction::begin(db_);
    if (!tx) {
        return tl::unexpected(std::move(tx.error()));
    }
    if (auto available = checkConflicts(db_, lock); !available) {
        return tl::unexpected(std::move(available.error()));
    }
    // The id is the associated data of the secrets, so the row comes first and the blob second.
    const auto& policy = lock.policy;
    auto id = runReturning(db_, R"sql(
        INSERT INTO locks (topic, name, mac, product_id, profile, protocol_version, t0, created_at,
                           policy, keep_alive_s, poll_interval_s, availability_timeout_s)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id
    )sql",
                           {lock.topic, lock.name, lock.mac, lock.productId, lock.profile,
                            std::int64_t{lock.protocolVersion}, orNull(lock.t0), nowMs / 1000,
                            orNull(policy.mode), orNull(policy.keepAliveS),
                            orNull(policy.pollIntervalS), orNull(policy.availabilityTimeoutS)});
    if (!id) {
        return tl::unexpected(std::move(id.error()));
    }
    lock.id = id->value();
    auto sealed = secrets_.seal(*plain, secretsAad(lock.id));
    OPENSSL_cleanse(plain->data(), plain->size());
    if (!sealed) {
        return tl::unexpected(std::move(sealed.error()));
    }
    if (auto stored = runBound(db_, "UPDATE locks SET secrets = ?2 WHERE id = ?1",
                               {lock.id, std::span<const std::uint8_t>(*sealed)});
        !stored) {
        return tl::unexpected(std::move(stored.error()));
    }
    if (auto committed = tx->commit(); !committed) {
        return tl::unexpected(std::move(committed.error()));
    }
    return lock;
}

Result<std::vector<ports::LockRecord>> SqliteLockStore::locks() {
    auto stmt = db_.prepare(kSelectLocks);
    if (!stmt) {
        return tl::unexpected(std::move(stmt.error()));
    }
    std::vector<ports::LockRecord> all;
    for (;;) {
        auto row = stmt->step();
        if (!row) {
            return tl::unexpected(std::move(row.error()));
        }
        if (!*row) {
            return all;
        }
        auto lock = readLock(db_, secrets_, *stmt);
        if (!lock) {
            return tl::unexpected(std::move(lock.error()));
        }
        all.push_back(std::move(*lock));
    }
}

Result<void> SqliteLockStore::removeLock(std::int64_t id) {
    // Records keep referencing the row; the secrets go, so a removed lock's key is not kept.
    auto removed = runReturning(db_, R"sql(
        UPDATE locks SET removed_at = unixepoch(), secrets = NULL
        WHERE id = ?1 AND removed_at IS NULL RETURNING id
    )sql",
                                {id});
    if (!removed) {
        return tl::unexpected(std::move(removed.error()));
    }
    if (!*removed) {
        return notFound(id);
    }
    return {};
}

Result<void> SqliteLockStore::renameLock(std::int64_t id, const std::string& name) {
    if (name.empty()) {
        return fail(Errc::BadRequest, kEmptyName);
    }
    auto renamed = runReturning(
        db_, "UPDATE locks SET name = ?2 WHERE id = ?1 AND removed_at IS NULL RETURNING id",
        {id, name});
    if (!renamed) {
        return tl::unexpected(std::move(renamed.error()));
    }
    if (!*renamed) {
        return notFound(id);
    }
    return {};
}

Result<void> SqliteLockStore::setT0(std::int64_t id, std::int64_t t0) {
    auto set = runReturning(
        db_, "UPDATE locks SET t0 = ?2 WHERE id = ?1 AND removed_at IS NULL RETURNING id",
        {id, t0});
    if (!set) {
        return tl::unexpected(std::move(set.error()));
    }
    if (!*set) {
        return notFound(id);
    }
    return {};
}

Result<void> SqliteLockStore::setMac(std::int64_t id, const std::string& mac) {
    if (!domain::normalizedMac(mac)) {
        return fail(Errc::BadRequest,
                    "lock MAC '" + mac + "' is not of the form AA:BB:CC:DD:EE:FF");
    }
    auto holder = activeHolder(
        db_, "SELECT id, topic FROM locks WHERE mac = ?1 AND removed_at IS NULL AND id != ?2",
        {mac, id});
    if (!holder) {
        return tl::unexpected(std::move(holder.error()));
    }
    if (*holder) {
        return fail(Errc::Conflict, "MAC " + mac + " is already paired as " + **holder);
    }
    auto set = runReturning(
        db_, "UPDATE locks SET mac = ?2 WHERE id = ?1 AND removed_at IS NULL RETURNING id",
        {id, mac});
    if (!set) {
        return tl::unexpected(std::move(set.error()));
    }
    if (!*set) {
        return notFound(id);
    }
    return {};
}

Result<void> SqliteLockStore::setPolicy(std::int64_t id, const ports::LockPolicy& policy) {
    if (auto valid = validatePolicy(policy); !valid) {
        return valid;
    }
    auto set = runReturning(db_, R"sql(
        UPDATE locks SET policy = ?2, keep_alive_s = ?3, poll_interval_s = ?4,
                         availability_timeout_s = ?5
        WHERE id = ?1 AND removed_at IS NULL RETURNING id
    )sql",
                            {id, orNull(policy.mode), orNull(policy.keepAliveS),
                             orNull(policy.pollIntervalS), orNull(policy.availabilityTimeoutS)});
    if (!set) {
        return tl::unexpected(std::move(set.error()));
    }
    if (!*set) {
        return notFound(id);
    }
    return {};
}

Result<std::vector<ports::RecordOutcome>> SqliteLockStore::recordEvents(
    std::span<const ports::StoredEvent> events) {
    std::vector<ports::RecordOutcome> outcomes;
    if (events.empty()) {
        return outcomes;
    }
    auto tx = Transaction::begin(db_);
    if (!tx) {
        return tl::unexpected(std::move(tx.error()));
    }
    if (auto active = checkActiveLocks(db_, events); !active) {
        return tl::unexpected(std::move(active.error()));
    }
    outcomes.reserve(events.size());
    for (const auto& event : events) {
        auto outcome = recordOne(event);
        if (!outcome) {
            return tl::unexpected(std::move(outcome.error()));
        }
        outcomes.push_back(*outcome);
    }
    if (auto committed = outbox_.trimAndCommit(*tx); !committed) {
        return tl::unexpected(std::move(committed.error()));
    }
    trimMirror();
    return outcomes;
}

// The query columns (docs/records.md) come from the event message itself, so what records/query
// filters on is exactly what was published. The conflict target makes a stored (lock, dp, value,
// lock time, derived), including one stored earlier in this transaction, a Duplicate. A NULL lock
// time never conflicts (NULLs are distinct in a UNIQUE constraint), so untimed records are always
// stored; any other constraint, such as a reused event_id, still fails the batch.
Result<ports::RecordOutcome> SqliteLockStore::recordOne(const ports::StoredEvent& event) {
    auto insert = cachedBound(
        db_, R"sql(
        INSERT INTO records (lock_id, dp, value, lock_time, hub_time_ms, event_id, derived,
                             event, method, user_id, time_corrected, payload)
        SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, json_extract(j, '$.event'),
               json_extract(j, '$.method'), json_extract(j, '$.user.id'),
               coalesce(json_extract(j, '$.time_corrected'), 0), ?8
        FROM (SELECT CASE WHEN json_valid(?8) THEN ?8 ELSE '{}' END AS j) WHERE true
        ON CONFLICT (lock_id, dp, value, lock_time, derived) DO NOTHING RETURNING id
    )sql",
        {event.lockId, std::int64_t{event.dp}, std::span<const std::uint8_t>(event.value),
         orNull(event.lockTime), event.hubTimeMs, event.eventId, event.derived,
         std::string_view(event.payload)});
    if (!insert) {
        return tl::unexpected(std::move(insert.error()));
    }
    auto recordId = firstInt(**insert);
    if (!recordId) {
        return tl::unexpected(std::move(recordId.error()));
    }
    if (!*recordId) {
        return ports::RecordOutcome{ports::RecordOutcome::Kind::Duplicate, 0, 0};
    }
    if (event.topic.empty()) {
        return ports::RecordOutcome{ports::RecordOutcome::Kind::Stored, **recordId, 0};
    }
    const ports::OutboxMessage message{event.topic, event.payload, 1, false};
    auto outboxId = outbox_.insert(message, event.hubTimeMs / 1000);
    if (!outboxId) {
        return tl::unexpected(std::move(outboxId.error()));
    }
    if (mirror_ != nullptr) {
        if (auto mirrored = mirror_->mirror(message, event.hubTimeMs / 1000); !mirrored) {
            return tl::unexpected(std::move(mirrored.error()));
        }
    }
    return ports::RecordOutcome{ports::RecordOutcome::Kind::Stored, **recordId, *outboxId};
}

Result<std::int64_t> SqliteLockStore::enqueueOutbox(const ports::OutboxMessage& message) {
    if (message.qos < 0 || message.qos > 2) {
        return fail(Errc::BadRequest,
                    "outbox message QoS " + std::to_string(message.qos) + " is not 0, 1 or 2");
    }
    auto tx = Transaction::begin(db_);
    if (!tx) {
        return tl::unexpected(std::move(tx.error()));
    }
    auto id = outbox_.insert(message, std::nullopt);
    if (!id) {
        return id;
    }
    if (mirror_ != nullptr) {
        if (auto mirrored = mirror_->mirror(message, std::nullopt); !mirrored) {
            return tl::unexpected(std::move(mirrored.error()));
        }
    }
    if (auto committed = outbox_.trimAndCommit(*tx); !committed) {
        return tl::unexpected(std::move(committed.error()));
    }
    trimMirror();
    return id;
}

// The upstream copies are bounded on their own; a failure here leaves them over the bound until
// the next commit, which is no reason to fail a commit that already happened.
void SqliteLockStore::trimMirror() {
    if (mirror_ == nullptr) {
        return;
    }
    if (auto trimmed = mirror_->trim(); !trimmed) {
        log::error("store", "cannot bound the cloud outbox: " + trimmed.error().message);
    }
}

Result<std::vector<ports::OutboxEntry>> SqliteLockStore::pendingOutbox(std::size_t limit,
                                                                       std::int64_t afterId) {
    return outbox_.pending(limit, afterId);
}

Result<void> SqliteLockStore::removeOutbox(std::span<const std::int64_t> ids) {
    return outbox_.remove(ids);
}

void SqliteLockStore::removeOutboxLater(std::span<const std::int64_t> ids) {
    outbox_.removeLater(ids);
}

Result<std::int64_t> SqliteLockStore::droppedOutbox() {
    return outbox_.dropped();
}

}  // namespace lockhub::adapters::sqlite
