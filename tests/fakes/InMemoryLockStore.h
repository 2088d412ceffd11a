// ports::LockStore in memory for app tests, with the SQLite adapter's semantics where the app can
// observe them (tests/integration/store/LockStoreContractTest.cpp runs the same cases against
// both): ids from 1 that only grow, conflicts on MAC or topic among active locks, NotFound for an
// unknown or removed lock, de-duplication of timed records, the outbox bound and its count, and
// the policy rules (adapters/sqlite/LockPolicyRules.h, shared with the adapter): a policy the
// app can send from MQTT must be refused by the fake as by the daemon.
//
// Not modelled: other field validation and MAC normalisation (those BadRequest cases are the
// adapter's, see LockStoreTest.cpp), persistence, and encryption: secrets stay in memory as
// given.
//
// It is the app tests' ports::RecordStore as well (RecordStoreContractTest.cpp): the query columns
// come from each event's payload as in the adapter, and a record whose outbox row is still there
// is never trimmed (the adapter keeps more: every record received since the oldest waiting
// message, whichever lock it is for; contract tests stay where both agree).
//
// Fault injection: failNext() fails the next call that writes, failWrites(true) every one until
// failWrites(false), like a full disk. A failed call stores nothing and its ids are not used up.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "ports/LockStore.h"
#include "ports/RecordStore.h"

namespace lockhub::fakes {

class InMemoryLockStore final : public ports::LockStore, public ports::RecordStore {
public:
    // 0 counts as 1, as in the adapter.
    explicit InMemoryLockStore(std::size_t outboxLimit = 10000);

    void failNext(Errc code, std::string message);
    void failWrites(bool on);

    // What app tests observe: records stored, and how many commits (recordEvents calls) stored
    // them.
    std::size_t recordCount() const { return records_.size(); }
    std::size_t recordBatches() const { return recordBatches_; }
    // As SqliteLockStore::mirrorEventsTo: every `<lock>/event` outbox message is copied into
    // `mirror`'s outbox under the upstream base (app/CloudTopics.h), bounded there.
    void mirrorEventsTo(InMemoryLockStore& mirror, std::string localBase, std::string upstreamBase);

    Result<ports::LockRecord> addLock(ports::LockRecord lock, std::int64_t nowMs) override;
    Result<std::vector<ports::LockRecord>> locks() override;
    Result<void> removeLock(std::int64_t id) override;
    Result<void> renameLock(std::int64_t id, const std::string& name) override;
    Result<void> setT0(std::int64_t id, std::int64_t t0) override;
    Result<void> setMac(std::int64_t id, const std::string& mac) override;
    Result<void> setPolicy(std::int64_t id, const ports::LockPolicy& policy) override;

    Result<std::vector<ports::RecordOutcome>> recordEvents(
        std::span<const ports::StoredEvent> events) override;
    Result<std::int64_t> enqueueOutbox(const ports::OutboxMessage& message) override;
    Result<std::vector<ports::OutboxEntry>> pendingOutbox(std::size_t limit,
                                                          std::int64_t afterId = 0) override;
    Result<void> removeOutbox(std::span<const std::int64_t> ids) override;
    void removeOutboxLater(std::span<const std::int64_t> ids) override;
    Result<std::int64_t> droppedOutbox() override;

    Result<std::vector<ports::StoredRecord>> queryRecords(
        const ports::RecordFilter& filter, const std::optional<ports::RecordPosition>& after,
        std::size_t limit) override;
    Result<std::optional<std::int64_t>> lastLockTime(std::int64_t lockId) override;
    Result<ports::LostRecords> lostRecords(std::int64_t lockId) override;
    Result<std::vector<ports::LockRecordCount>> recordCounts() override;
    Result<std::size_t> trimOldest(std::int64_t lockId, std::size_t limit) override;
    Result<std::size_t> trimBefore(std::int64_t hubTimeMs, std::size_t limit) override;

private:
    struct Row {
        ports::StoredRecord record;
        std::vector<std::uint8_t> value;
        std::string derived;
        std::optional<std::string> event;
        std::optional<std::string> method;
        std::optional<std::int64_t> userId;
        std::int64_t outboxId = 0;
        bool timeCorrected = false;
    };

    using RecordKey = std::tuple<std::int64_t, std::uint8_t, std::vector<std::uint8_t>,
                                 std::int64_t, std::string>;

    // The injected failure for a call that writes, if any; consumes a failNext().
    std::optional<Error> injectedFailure();
    ports::LockRecord* activeLock(std::int64_t id);
    std::int64_t appendOutbox(ports::OutboxMessage message);
    // Ends every write that added outbox rows, as the adapter's commit does: first deletes the
    // rows passed to removeOutboxLater(), then drops the oldest over the bound.
    void trimOutbox();
    // Deletes the row (and frees its replay key and event id) unless its message is still
    // waiting in the outbox.
    bool eraseDelivered(std::map<std::pair<std::int64_t, std::int64_t>, Row>::iterator& it);

    std::size_t outboxLimit_;
    std::optional<Error> failNext_;
    bool failWrites_ = false;

    std::vector<ports::LockRecord> locks_;  // active ones; removed locks leave
    std::int64_t lastLockId_ = 0;
    std::int64_t lastRecordId_ = 0;
    std::set<RecordKey> timedKeys_;
    std::set<std::string> eventIds_;
    std::map<std::pair<std::int64_t, std::int64_t>, Row> records_;  // by (hub time, id)
    std::map<std::int64_t, ports::OutboxMessage> outbox_;
    std::vector<std::int64_t> removable_;  // delivered, deleted with the next write
    std::int64_t lastOutboxId_ = 0;
    std::int64_t dropped_ = 0;
    std::size_t recordBatches_ = 0;
    InMemoryLockStore* mirror_ = nullptr;
    std::string localBase_;
    std::string upstreamBase_;
};

}  // namespace lockhub::fakes
