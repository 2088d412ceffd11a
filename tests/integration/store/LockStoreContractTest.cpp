// The ports::LockStore contract, run against every implementation: the SQLite adapter on a real
// file and the in-memory fake the app tests use. A case here holds for both, so an app test that
// passes against the fake means the same against the daemon's store.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "integration/store/LockStoreSamples.h"
#include "integration/store/StoreTestSupport.h"
#include "support/TempDir.h"
#include "tests/fakes/InMemoryLockStore.h"

namespace lockhub::testing {
namespace {

using ports::LockPolicy;
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
    explicit SqliteStoreUnderTest(std::size_t outboxLimit) : outboxLimit_(outboxLimit) {
        hub_.emplace(dir_.path() / "state", std::nullopt, outboxLimit_);
    }

    ports::LockStore& store() { return hub_->locks(); }
    void fillDisk() {
        const auto pages = hub_->count("PRAGMA page_count");
        ASSERT_TRUE(
            hub_->db().exec("PRAGMA max_page_count = " + std::to_string(pages), "fill the disk"));
    }
    void freeDisk() {
        ASSERT_TRUE(hub_->db().exec("PRAGMA max_page_count = 1073741823", "free the disk"));
    }
    // A daemon restart: everything must come back from the file. store() is a new object after.
    void reopen() {
        hub_->close();
        hub_.reset();
        hub_.emplace(dir_.path() / "state", std::nullopt, outboxLimit_);
    }

private:
    TempDir dir_;
    std::size_t outboxLimit_;
    std::optional<Hub> hub_;
};

class FakeStoreUnderTest {
public:
    explicit FakeStoreUnderTest(std::size_t outboxLimit) : store_(outboxLimit) {}

    ports::LockStore& store() { return store_; }
    void fillDisk() { store_.failWrites(true); }
    void freeDisk() { store_.failWrites(false); }
    // The fake keeps no file: its state lives as long as the object, like an uninterrupted run.
    void reopen() {}

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

using LockStores = ::testing::Types<SqliteStoreUnderTest, FakeStoreUnderTest>;
TYPED_TEST_SUITE(LockStoreContract, LockStores, ImplementationName<SqliteStoreUnderTest>);

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

// The hub's duress event beside a duress credential's unlock is a record of its own, and a replay
// of the report repeats neither.
TYPED_TEST(LockStoreContract, ADerivedRecordIsStoredBesideItsRecordAndReplaysOfBothAreDuplicates) {
    auto& store = this->storeWithLock();
    auto duress = this->event(1700000100, "ev-2");
    duress.derived = "duress";
    const std::vector<StoredEvent> pair{this->event(1700000100, "ev-1"), duress};
    EXPECT_EQ(kindsOf(store.recordEvents(pair).value()), (std::vector{Kind::Stored, Kind::Stored}));
    EXPECT_EQ(kindsOf(store.recordEvents(pair).value()),
              (std::vector{Kind::Duplicate, Kind::Duplicate}));
    EXPECT_EQ(this->pending().size(), 2u);
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

// The delete of a delivered row rides on the next commit that adds rows (no sync of its own); a
// commit that fails keeps them waiting, and removeOutbox() takes whatever still waits.
TYPED_TEST(LockStoreContract, RowsRemovedLaterLeaveWithTheNextCommitThatAddsRows) {
    auto& store = this->storeWithLock();
    const std::vector<std::int64_t> first{this->enqueue("m0"), this->enqueue("m1")};
    store.removeOutboxLater(first);
    EXPECT_EQ(this->pendingIds(), first) << "still stored until a commit";
    auto events = this->batch(32);
    for (auto& event : events) {
        event.payload.append(8000, 'x');  // cannot fit in the free pages of a full disk
    }
    this->subject().fillDisk();
    ASSERT_FALSE(store.recordEvents(events).has_value());
    this->subject().freeDisk();
    EXPECT_EQ(this->pendingIds(), first) << "the failed commit deleted nothing";
    const auto stored = valueOrThrow(store.recordEvents(std::span(events).first(1)));
    EXPECT_EQ(this->pendingIds(), std::vector{stored.at(0).outboxId});

    const std::vector<std::int64_t> second{stored.at(0).outboxId};
    store.removeOutboxLater(second);
    const auto next = this->enqueue("m2");
    EXPECT_EQ(this->pendingIds(), std::vector{next});
    const std::vector<std::int64_t> last{next};
    store.removeOutboxLater(last);
    ASSERT_TRUE(store.removeOutbox({}).has_value());
    EXPECT_TRUE(this->pending().empty());
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

TYPED_TEST(LockStoreContract, ALockThatMovedToAnotherAddressKeepsItsIdAndSecrets) {
    auto& store = this->storeWithLock();
    ASSERT_TRUE(store.addLock(sampleLock("back", "AA:BB:CC:DD:EE:02"), 0).has_value());

    ASSERT_TRUE(store.setMac(1, "AA:BB:CC:DD:EE:09").has_value());
    const auto all = store.locks().value();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].id, 1);
    EXPECT_EQ(all[0].mac, "AA:BB:CC:DD:EE:09");
    EXPECT_EQ(all[0].localKey.reveal(), kLocalKey);

    auto taken = store.setMac(1, "AA:BB:CC:DD:EE:02");
    ASSERT_FALSE(taken.has_value());
    EXPECT_EQ(taken.error().code, Errc::Conflict);
    EXPECT_EQ(taken.error().message,
              "MAC AA:BB:CC:DD:EE:02 is already paired as lock 'back' (id 2)");
    EXPECT_EQ(store.setMac(1, "not a mac").error().code, Errc::BadRequest);
    EXPECT_EQ(store.setMac(7, "AA:BB:CC:DD:EE:0A").error().code, Errc::NotFound);
    EXPECT_EQ(store.locks().value()[0].mac, "AA:BB:CC:DD:EE:09");
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

std::vector<LockPolicy> policiesOf(const std::vector<ports::LockRecord>& locks) {
    std::vector<LockPolicy> policies;
    for (const auto& lock : locks) {
        policies.push_back(lock.policy);
    }
    return policies;
}

// Every field set, none set, and some set: an absent field is kept absent, never a default.
TYPED_TEST(LockStoreContract, APolicyRoundTripsThroughAddLockAndLocks) {
    auto& store = this->storeWithLock();
    const LockPolicy full{"keep_alive", 60, 0, 900};
    const LockPolicy partial{std::nullopt, std::nullopt, 120, std::nullopt};
    auto back = sampleLock("back", "AA:BB:CC:DD:EE:02");
    back.policy = full;
    auto side = sampleLock("side", "AA:BB:CC:DD:EE:03");
    side.policy = partial;
    EXPECT_EQ(valueOrThrow(store.addLock(back, 0)).policy, full);
    EXPECT_EQ(valueOrThrow(store.addLock(side, 0)).policy, partial);
    EXPECT_EQ(policiesOf(valueOrThrow(store.locks())), (std::vector{LockPolicy{}, full, partial}));
}

TYPED_TEST(LockStoreContract, SetPolicyReplacesTheWholePolicyOfThatLockOnly) {
    auto& store = this->storeWithLock();
    auto back = sampleLock("back", "AA:BB:CC:DD:EE:02");
    back.policy = {"on_demand", 10, 20, 30};
    ASSERT_TRUE(store.addLock(back, 0).has_value());

    const LockPolicy always{"always", 30, 600, 0};
    ASSERT_TRUE(store.setPolicy(this->lockId(), always).has_value());
    EXPECT_EQ(policiesOf(valueOrThrow(store.locks())), (std::vector{always, back.policy}));
    // Replaced, not merged: the fields left out go back to the configuration's default.
    const LockPolicy keepAliveOnly{std::nullopt, 90, std::nullopt, std::nullopt};
    ASSERT_TRUE(store.setPolicy(this->lockId(), keepAliveOnly).has_value());
    EXPECT_EQ(policiesOf(valueOrThrow(store.locks())), (std::vector{keepAliveOnly, back.policy}));
    ASSERT_TRUE(store.setPolicy(2, LockPolicy{}).has_value());
    EXPECT_EQ(policiesOf(valueOrThrow(store.locks())), (std::vector{keepAliveOnly, LockPolicy{}}));
}

TYPED_TEST(LockStoreContract, SetPolicyOnAnUnknownOrRemovedLockIsNotFound) {
    auto& store = this->storeWithLock();
    auto unknown = store.setPolicy(7, {"always", 1, 2, 3});
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(unknown.error().code, Errc::NotFound);
    EXPECT_EQ(unknown.error().message, "no paired lock has id 7");

    ASSERT_TRUE(store.removeLock(this->lockId()).has_value());
    auto removed = store.setPolicy(this->lockId(), {});
    ASSERT_FALSE(removed.has_value());
    EXPECT_EQ(removed.error().code, Errc::NotFound);
    EXPECT_EQ(removed.error().message, "no paired lock has id 1");
}

struct BadPolicy {
    LockPolicy policy;
    std::string message;
};

// Built one by one: GCC 12 warns (maybe-uninitialized) on copying an initializer list of
// policies, whose optional strings it cannot follow.
std::vector<BadPolicy> badPolicies() {
    std::vector<BadPolicy> cases;
    for (const auto& [mode, message] : std::vector<std::pair<std::string, std::string>>{
             {"sometimes",
              "lock policy mode 'sometimes' is not one of on_demand, keep_alive, always"},
             {"", "lock policy mode '' is not one of on_demand, keep_alive, always"},
             {"Always", "lock policy mode 'Always' is not one of on_demand, keep_alive, always"}}) {
        BadPolicy bad{{}, message};
        bad.policy.mode = mode;
        cases.push_back(std::move(bad));
    }
    BadPolicy keepAlive{{}, "lock policy keep_alive_s -1 must not be negative"};
    keepAlive.policy.keepAliveS = -1;
    cases.push_back(std::move(keepAlive));
    // A valid mode does not hide a bad number.
    BadPolicy poll{{}, "lock policy poll_interval_s -30 must not be negative"};
    poll.policy.mode = "always";
    poll.policy.keepAliveS = 0;
    poll.policy.pollIntervalS = -30;
    cases.push_back(std::move(poll));
    BadPolicy availability{{}, "lock policy availability_timeout_s -600 must not be negative"};
    availability.policy.availabilityTimeoutS = -600;
    cases.push_back(std::move(availability));
    return cases;
}

// Refused before anything is looked up or written: the stored policy stays, an unknown id is
// still a bad request, and a refused addLock stores no lock and uses up no id.
TYPED_TEST(LockStoreContract, ABadPolicyIsABadRequestAndChangesNothing) {
    auto& store = this->storeWithLock();
    const LockPolicy stored{"keep_alive", 60, 3600, 0};
    ASSERT_TRUE(store.setPolicy(this->lockId(), stored).has_value());
    for (const auto& bad : badPolicies()) {
        for (const std::int64_t id : {this->lockId(), std::int64_t{7}}) {
            auto refused = store.setPolicy(id, bad.policy);
            ASSERT_FALSE(refused.has_value()) << bad.message;
            EXPECT_EQ(refused.error().code, Errc::BadRequest);
            EXPECT_EQ(refused.error().message, bad.message);
        }
        auto lock = sampleLock("back", "AA:BB:CC:DD:EE:02");
        lock.policy = bad.policy;
        auto added = store.addLock(lock, 0);
        ASSERT_FALSE(added.has_value()) << bad.message;
        EXPECT_EQ(added.error().code, Errc::BadRequest);
        EXPECT_EQ(added.error().message, bad.message);
    }
    EXPECT_EQ(policiesOf(valueOrThrow(store.locks())), std::vector{stored});
    EXPECT_EQ(valueOrThrow(store.addLock(sampleLock("back", "AA:BB:CC:DD:EE:02"), 0)).id, 2);
}

TYPED_TEST(LockStoreContract, PoliciesSurviveARestart) {
    this->storeWithLock();
    const LockPolicy set{"always", 15, 0, 1200};
    ASSERT_TRUE(this->store().setPolicy(this->lockId(), set).has_value());
    auto back = sampleLock("back", "AA:BB:CC:DD:EE:02");
    back.policy = {"on_demand", std::nullopt, 7200, std::nullopt};
    ASSERT_TRUE(this->store().addLock(back, 0).has_value());

    this->subject().reopen();
    EXPECT_EQ(policiesOf(valueOrThrow(this->store().locks())), (std::vector{set, back.policy}));
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
