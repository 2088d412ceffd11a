// The ports::LockStore contract, run against every implementation: the SQLite adapter on a real
// file and the in-memory fake the app tests use. A case here holds for both, so an app test that
// passes against the fake means the same against the daemon's store.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "integration/store/LockStoreSamples.h"
#include "support/TempDir.h"
#include "tests/fakes/InMemoryLockStore.h"

namespace lockhub::testing {
namespace {

using ports::OutboxEntry;
using ports::OutboxMessage;
using ports::RecordOutcome;
using ports::StoredEvent;
using Kind = RecordOutcome::Kind;

constexpr std::size_t kDefaultBound = adapters::sqlite::SqliteLockStore::kDefaultOutboxLimit;

// The SQLite adapter on a fresh database. A full disk is a database that may not grow by one
// more page (PRAGMA max_page_count): SQLite fails the write with SQLITE_FULL, as on a real one.
class SqliteStoreUnderTest {
public:
    explicit SqliteStoreUnderTest(std::size_t outboxLimit)
        : hub_(dir_.path() / "state", std::nullopt, outboxLimit) {}

    ports::LockStore& store() { return hub_.locks(); }
    void fillDisk() {
        const auto pages = hub_.count("PRAGMA page_count");
        ASSERT_TRUE(
            hub_.db().exec("PRAGMA max_page_count = " + std::to_string(pages), "fill the disk"));
    }
    void freeDisk() {
        ASSERT_TRUE(hub_.db().exec("PRAGMA max_page_count = 1073741823", "free the disk"));
    }

private:
    TempDir dir_;
    Hub hub_;
};

class FakeStoreUnderTest {
public:
    explicit FakeStoreUnderTest(std::size_t outboxLimit) : store_(outboxLimit) {}

    ports::LockStore& store() { return store_; }
    void fillDisk() { store_.failWrites(true); }
    void freeDisk() { store_.failWrites(false); }

private:
    fakes::InMemoryLockStore store_;
};

template <typename StoreUnderTest>
class LockStoreContract : public ::testing::Test {
protected:
    // A lock paired on a store with `outboxLimit`; events in these tests belong to it.
    ports::LockStore& storeWithLock(std::size_t outboxLimit = kDefaultBound) {
        subject_.emplace(outboxLimit);
        lockId_ = valueOrThrow(store().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0)).id;
        return store();
    }
    ports::LockStore& store() { return subject_->store(); }
    StoreUnderTest& subject() { return *subject_; }
    std::int64_t lockId() const { return lockId_; }

    StoredEvent event(std::optional<std::int64_t> lockTime, std::string eventId) const {
        return sampleEvent(lockId_, lockTime, std::move(eventId));
    }
    std::vector<StoredEvent> batch(int count) const { return sampleBatch(lockId_, count); }
    std::vector<OutboxEntry> pending(std::size_t limit = 100, std::int64_t afterId = 0) {
        return valueOrThrow(store().pendingOutbox(limit, afterId));
    }
    std::vector<std::int64_t> pendingIds(std::size_t limit = 100, std::int64_t afterId = 0) {
        return idsOf(pending(limit, afterId));
    }
    std::int64_t enqueue(std::string payload) {
        return valueOrThrow(store().enqueueOutbox({"lockhub/front/set/result", payload, 1, false}));
    }

private:
    std::optional<StoreUnderTest> subject_;
    std::int64_t lockId_ = 0;
};

using Implementations = ::testing::Types<SqliteStoreUnderTest, FakeStoreUnderTest>;

class ImplementationName {
public:
    template <typename T>
    static std::string GetName(int) {
        return std::is_same_v<T, SqliteStoreUnderTest> ? "Sqlite" : "InMemory";
    }
};

TYPED_TEST_SUITE(LockStoreContract, Implementations, ImplementationName);

std::vector<Kind> kindsOf(const std::vector<RecordOutcome>& outcomes) {
    std::vector<Kind> kinds;
    for (const auto& outcome : outcomes) {
        kinds.push_back(outcome.kind);
    }
    return kinds;
}

TYPED_TEST(LockStoreContract, ABatchIsStoredInOrderWithIncreasingIds) {
    auto& store = this->storeWithLock();
    const auto events = this->batch(5);
    auto outcomes = store.recordEvents(events);
    ASSERT_TRUE(outcomes.has_value()) << outcomes.error().message;
    ASSERT_EQ(outcomes->size(), 5u);
    std::vector<std::int64_t> outboxIds;
    for (std::size_t i = 0; i < outcomes->size(); ++i) {
        const auto& outcome = (*outcomes)[i];
        EXPECT_EQ(outcome.kind, Kind::Stored);
        EXPECT_EQ(outcome.recordId, static_cast<std::int64_t>(i + 1));
        if (i > 0) {
            EXPECT_GT(outcome.outboxId, (*outcomes)[i - 1].outboxId);
        }
        outboxIds.push_back(outcome.outboxId);
    }
    const auto rows = this->pending();
    ASSERT_EQ(rows.size(), 5u);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].id, outboxIds[i]);
        EXPECT_EQ(rows[i].message.topic, "lockhub/front/event");
        EXPECT_EQ(rows[i].message.payload, events[i].payload);
        EXPECT_EQ(rows[i].message.qos, 1);
        EXPECT_FALSE(rows[i].message.retained);
    }
    // The next batch continues the ids.
    auto later = store.recordEvents(std::vector{this->event(1700000200, "later")}).value();
    EXPECT_EQ(later.at(0).recordId, 6);
    EXPECT_GT(later.at(0).outboxId, outboxIds.back());
}

TYPED_TEST(LockStoreContract, AnEmptyBatchStoresNothingAndSucceeds) {
    auto& store = this->storeWithLock();
    auto outcomes = store.recordEvents({});
    ASSERT_TRUE(outcomes.has_value());
    EXPECT_TRUE(outcomes->empty());
    EXPECT_TRUE(this->pending().empty());
}

TYPED_TEST(LockStoreContract, ADuplicateWithinTheBatchIsWrittenOnce) {
    auto& store = this->storeWithLock();
    auto replay = this->event(1700000100, "ev-replay");
    replay.hubTimeMs += 30000;
    const std::vector<StoredEvent> events{this->event(1700000100, "ev-1"),
                                          this->event(1700000101, "ev-2"), replay};
    auto outcomes = store.recordEvents(events).value();
    EXPECT_EQ(kindsOf(outcomes), (std::vector{Kind::Stored, Kind::Stored, Kind::Duplicate}));
    EXPECT_EQ(outcomes[2].recordId, 0);
    EXPECT_EQ(outcomes[2].outboxId, 0);
    const std::vector<std::int64_t> stored{outcomes[0].outboxId, outcomes[1].outboxId};
    EXPECT_EQ(this->pendingIds(), stored);
}

TYPED_TEST(LockStoreContract, ADuplicateOfAStoredRecordIsWrittenOnceAndAnyDifferenceIsNew) {
    auto& store = this->storeWithLock();
    const auto other = valueOrThrow(store.addLock(sampleLock("back", "AA:BB:CC:DD:EE:02"), 0)).id;
    ASSERT_EQ(recordOne(store, this->event(1700000100, "ev-1")), Kind::Stored);

    auto otherValue = this->event(1700000100, "ev-3");
    otherValue.value = {0x00, 0x04};
    auto otherDp = this->event(1700000100, "ev-4");
    otherDp.dp = 20;
    auto otherLock = sampleEvent(other, 1700000100, "ev-6");
    const std::vector<StoredEvent> events{this->event(1700000100, "ev-2"), otherValue, otherDp,
                                          this->event(1700000101, "ev-5"), otherLock};
    auto outcomes = store.recordEvents(events).value();
    EXPECT_EQ(kindsOf(outcomes), (std::vector{Kind::Duplicate, Kind::Stored, Kind::Stored,
                                              Kind::Stored, Kind::Stored}));
    EXPECT_EQ(this->pending().size(), 5u);
}

// The session drops a lock's retransmissions of untimed reports; two equal untimed reports the
// store sees are two events (e.g. the same button pressed twice).
TYPED_TEST(LockStoreContract, UntimedRecordsAreNeverDeduplicated) {
    auto& store = this->storeWithLock();
    const std::vector<StoredEvent> events{this->event(std::nullopt, "ev-1"),
                                          this->event(std::nullopt, "ev-2")};
    EXPECT_EQ(kindsOf(store.recordEvents(events).value()),
              (std::vector{Kind::Stored, Kind::Stored}));
    EXPECT_EQ(recordOne(store, this->event(std::nullopt, "ev-3")), Kind::Stored);
    EXPECT_EQ(this->pending().size(), 3u);
}

// event_id is unique: reusing one is a bug upstream, not a replay, and fails the whole batch.
TYPED_TEST(LockStoreContract, AReusedEventIdFailsTheWholeBatch) {
    auto& store = this->storeWithLock();
    ASSERT_EQ(recordOne(store, this->event(1700000100, "ev-1")), Kind::Stored);
    const std::vector<StoredEvent> events{this->event(1700000101, "ev-2"),
                                          this->event(1700000102, "ev-1")};
    auto outcomes = store.recordEvents(events);
    ASSERT_FALSE(outcomes.has_value());
    EXPECT_EQ(outcomes.error().code, Errc::Storage);
    EXPECT_EQ(this->pending().size(), 1u);
    EXPECT_EQ(recordOne(store, this->event(1700000101, "ev-2")), Kind::Stored)
        << "ev-2 was not stored by the failed batch";
}

TYPED_TEST(LockStoreContract, AnEventForAnUnknownOrRemovedLockFailsTheWholeBatch) {
    auto& store = this->storeWithLock();
    const std::vector<StoredEvent> unknown{this->event(1700000100, "ev-1"),
                                           sampleEvent(99, 1700000100, "ev-2")};
    auto outcomes = store.recordEvents(unknown);
    ASSERT_FALSE(outcomes.has_value());
    EXPECT_EQ(outcomes.error().code, Errc::NotFound);
    EXPECT_EQ(outcomes.error().message, "no paired lock has id 99");
    EXPECT_TRUE(this->pending().empty());

    ASSERT_TRUE(store.removeLock(this->lockId()).has_value());
    auto removed = recordOne(store, this->event(1700000100, "ev-3"));
    ASSERT_FALSE(removed.has_value());
    EXPECT_EQ(removed.error().code, Errc::NotFound);
    EXPECT_EQ(removed.error().message, "no paired lock has id 1");
    EXPECT_TRUE(this->pending().empty());
}

// Large payloads, so the writes cannot fit in the database's free pages (migrations leave some)
// and must grow the file.
TYPED_TEST(LockStoreContract, AFullDiskStoresNothingOfTheBatchAndTheSameBatchLaterSucceeds) {
    auto& store = this->storeWithLock();
    auto events = this->batch(32);
    for (auto& event : events) {
        event.payload.append(8000, 'x');
    }
    this->subject().fillDisk();
    auto failed = store.recordEvents(events);
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error().code, Errc::Storage);
    EXPECT_TRUE(this->pending().empty());
    auto message =
        store.enqueueOutbox({"lockhub/front/set/result", std::string(1000000, 'y'), 1, false});
    ASSERT_FALSE(message.has_value());
    EXPECT_EQ(message.error().code, Errc::Storage);
    EXPECT_TRUE(this->pending().empty());

    this->subject().freeDisk();
    auto outcomes = store.recordEvents(events);
    ASSERT_TRUE(outcomes.has_value()) << outcomes.error().message;
    EXPECT_EQ(kindsOf(*outcomes), std::vector<Kind>(32, Kind::Stored));
    EXPECT_EQ(outcomes->front().recordId, 1);
    EXPECT_EQ(this->pending().size(), 32u);
}

TYPED_TEST(LockStoreContract, PendingOutboxPagesOldestFirstAfterAnId) {
    this->storeWithLock();
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 5; ++i) {
        ids.push_back(this->enqueue("m" + std::to_string(i)));
    }
    EXPECT_EQ(this->pendingIds(2), (std::vector{ids[0], ids[1]}));
    EXPECT_EQ(this->pendingIds(2, ids[1]), (std::vector{ids[2], ids[3]}));
    EXPECT_EQ(this->pendingIds(2, ids[3]), std::vector{ids[4]});
    EXPECT_TRUE(this->pendingIds(2, ids[4]).empty());
    EXPECT_TRUE(this->pendingIds(0).empty());
    const auto third = this->pending(1, ids[1]).at(0);
    EXPECT_EQ(third.message.topic, "lockhub/front/set/result");
    EXPECT_EQ(third.message.payload, "m2");
}

TYPED_TEST(LockStoreContract, AnEnqueuedMessageKeepsItsFieldsAndABadQosIsRefused) {
    auto& store = this->storeWithLock();
    const OutboxMessage message{"lockhub/bridge/state", R"({"online":true})", 0, true};
    const auto id = valueOrThrow(store.enqueueOutbox(message));
    const auto rows = this->pending();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].id, id);
    EXPECT_EQ(rows[0].message.topic, message.topic);
    EXPECT_EQ(rows[0].message.payload, message.payload);
    EXPECT_EQ(rows[0].message.qos, 0);
    EXPECT_TRUE(rows[0].message.retained);
    for (const int qos : {-1, 3}) {
        auto refused = store.enqueueOutbox({"t", "m", qos, false});
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error().code, Errc::BadRequest);
        EXPECT_EQ(refused.error().message,
                  "outbox message QoS " + std::to_string(qos) + " is not 0, 1 or 2");
    }
    EXPECT_EQ(this->pending().size(), 1u);
}

TYPED_TEST(LockStoreContract, RemovalIsBatchedAndIgnoresIdsAlreadyGone) {
    auto& store = this->storeWithLock();
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 4; ++i) {
        ids.push_back(this->enqueue("m" + std::to_string(i)));
    }
    const std::vector<std::int64_t> delivered{ids[2], ids[0], ids[3] + 1000};
    ASSERT_TRUE(store.removeOutbox(delivered).has_value());
    EXPECT_EQ(this->pendingIds(), (std::vector{ids[1], ids[3]}));
    ASSERT_TRUE(store.removeOutbox(delivered).has_value()) << "already gone is fine";
    ASSERT_TRUE(store.removeOutbox({}).has_value());
    EXPECT_EQ(this->pendingIds(), (std::vector{ids[1], ids[3]}));
}

TYPED_TEST(LockStoreContract, OutboxIdsAreNeverReused) {
    auto& store = this->storeWithLock();
    const auto first = this->enqueue("m0");
    const std::vector<std::int64_t> all{first};
    ASSERT_TRUE(store.removeOutbox(all).has_value());
    EXPECT_GT(this->enqueue("m1"), first);
}

TYPED_TEST(LockStoreContract, TheBoundDropsTheOldestRowsNeverRecordsAndCountsThem) {
    auto& store = this->storeWithLock(3);
    const auto first = this->enqueue("m0");
    this->enqueue("m1");
    const auto events = this->batch(3);
    auto outcomes = store.recordEvents(events).value();
    EXPECT_EQ(this->pendingIds(),
              (std::vector{outcomes[0].outboxId, outcomes[1].outboxId, outcomes[2].outboxId}));
    EXPECT_EQ(store.droppedOutbox().value(), 2);

    const auto last = this->enqueue("m2");
    EXPECT_EQ(this->pendingIds(), (std::vector{outcomes[1].outboxId, outcomes[2].outboxId, last}));
    EXPECT_EQ(store.droppedOutbox().value(), 3);
    EXPECT_GT(last, first);
    // The records stayed: sending them again is a replay.
    EXPECT_EQ(kindsOf(store.recordEvents(events).value()), std::vector<Kind>(3, Kind::Duplicate));
}

TYPED_TEST(LockStoreContract, ABoundOfZeroKeepsTheNewestRow) {
    this->storeWithLock(0);
    this->enqueue("m0");
    const auto newest = this->enqueue("m1");
    EXPECT_EQ(this->pendingIds(), std::vector{newest});
    EXPECT_EQ(this->store().droppedOutbox().value(), 1);
}

TYPED_TEST(LockStoreContract, LocksHaveIncreasingIdsAndConflictOnMacOrTopic) {
    auto& store = this->storeWithLock();
    auto back = store.addLock(sampleLock("back", "AA:BB:CC:DD:EE:02"), 0);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->id, 2);

    auto sameMac = store.addLock(sampleLock("side", "AA:BB:CC:DD:EE:01"), 0);
    ASSERT_FALSE(sameMac.has_value());
    EXPECT_EQ(sameMac.error().code, Errc::Conflict);
    EXPECT_EQ(sameMac.error().message,
              "MAC AA:BB:CC:DD:EE:01 is already paired as lock 'front' (id 1)");
    auto sameTopic = store.addLock(sampleLock("back", "AA:BB:CC:DD:EE:03"), 0);
    ASSERT_FALSE(sameTopic.has_value());
    EXPECT_EQ(sameTopic.error().code, Errc::Conflict);
    EXPECT_EQ(sameTopic.error().message, "topic 'back' is already used by lock 'back' (id 2)");

    ASSERT_TRUE(store.renameLock(2, "Back door").has_value());
    ASSERT_TRUE(store.setT0(2, 1699999999).has_value());
    const auto all = store.locks().value();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[1].name, "Back door");
    EXPECT_EQ(all[1].t0, 1699999999);
    EXPECT_EQ(all[1].localKey.reveal(), kLocalKey);
}

TYPED_TEST(LockStoreContract, ARemovedLockIsGoneItsMacFreeAndItsIdNeverReused) {
    auto& store = this->storeWithLock();
    ASSERT_TRUE(store.removeLock(1).has_value());
    EXPECT_TRUE(store.locks().value().empty());
    for (const auto& error : {store.removeLock(1).error(), store.renameLock(1, "x").error(),
                              store.setT0(1, 5).error(), store.removeLock(7).error()}) {
        EXPECT_EQ(error.code, Errc::NotFound);
    }
    EXPECT_EQ(store.renameLock(7, "x").error().message, "no paired lock has id 7");
    auto again = store.addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0);
    ASSERT_TRUE(again.has_value()) << again.error().message;
    EXPECT_EQ(again->id, 2);
}

// The fake's own failure injection, which app tests rely on.
TEST(InMemoryLockStore, FailNextFailsOnlyTheNextWriteAndStoresNothing) {
    fakes::InMemoryLockStore store;
    store.failNext(Errc::Storage, "disk on fire");
    auto added = store.addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0);
    ASSERT_FALSE(added.has_value());
    EXPECT_EQ(added.error().code, Errc::Storage);
    EXPECT_EQ(added.error().message, "disk on fire");
    EXPECT_TRUE(store.locks().value().empty());
    EXPECT_EQ(valueOrThrow(store.addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0)).id, 1);

    store.failNext(Errc::Busy, "later");
    EXPECT_TRUE(store.pendingOutbox(10).has_value()) << "reads are not writes";
    const std::vector<StoredEvent> events{sampleEvent(1, 1700000100, "ev-1")};
    auto recorded = store.recordEvents(events);
    ASSERT_FALSE(recorded.has_value());
    EXPECT_EQ(recorded.error().code, Errc::Busy);
    EXPECT_TRUE(store.pendingOutbox(10).value().empty());
    auto outcomes = store.recordEvents(events).value();
    EXPECT_EQ(outcomes.at(0).kind, Kind::Stored);
    EXPECT_EQ(outcomes.at(0).recordId, 1) << "the failed batch used up no id";
    EXPECT_EQ(outcomes.at(0).outboxId, 1);
}

}  // namespace
}  // namespace lockhub::testing
