// The ports::RecordStore contract (records/query and retention), run against the SQLite adapter
// on a real file and against the in-memory fake the app tests use. Records are written through
// LockStore::recordEvents, as the pipeline writes them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/sqlite/SqliteRecordStore.h"
#include "integration/store/LockStoreSamples.h"
#include "support/TempDir.h"
#include "tests/fakes/InMemoryLockStore.h"

namespace lockhub::testing {
namespace {

using ports::RecordFilter;
using ports::RecordPosition;
using ports::StoredEvent;

class SqliteRecordsUnderTest {
public:
    SqliteRecordsUnderTest() : hub_(dir_.path() / "state"), records_(hub_.db()) {}
    ports::LockStore& locks() { return hub_.locks(); }
    ports::RecordStore& records() { return records_; }

private:
    TempDir dir_;
    Hub hub_;
    adapters::sqlite::SqliteRecordStore records_;
};

class FakeRecordsUnderTest {
public:
    ports::LockStore& locks() { return store_; }
    ports::RecordStore& records() { return store_; }

private:
    fakes::InMemoryLockStore store_;
};

template <typename Subject>
class RecordStoreContract : public ::testing::Test {
protected:
    void SetUp() override {
        front_ = valueOrThrow(locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0)).id;
        back_ = valueOrThrow(locks().addLock(sampleLock("back", "AA:BB:CC:DD:EE:02"), 0)).id;
    }
    ports::LockStore& locks() { return subject_.locks(); }
    ports::RecordStore& records() { return subject_.records(); }

    // An event as the pipeline stores it: its payload is the published message.
    StoredEvent event(std::int64_t lockId, std::int64_t hubMs, const nlohmann::json& payload,
                      std::string derived = "") {
        StoredEvent e;
        e.lockId = lockId;
        e.dp = 12;
        e.value = {static_cast<std::uint8_t>(seq_ >> 8), static_cast<std::uint8_t>(seq_)};
        e.lockTime = hubMs / 1000;
        e.hubTimeMs = hubMs;
        e.eventId = "ev-" + std::to_string(++seq_);
        e.derived = std::move(derived);
        e.topic = "lockhub/front/event";
        nlohmann::json message = payload;
        message["event_id"] = e.eventId;
        e.payload = message.dump();
        return e;
    }
    std::vector<std::int64_t> store(const std::vector<StoredEvent>& events) {
        std::vector<std::int64_t> outbox;
        const auto outcomes = valueOrThrow(locks().recordEvents(events));
        for (const auto& outcome : outcomes) {
            outbox.push_back(outcome.outboxId);
        }
        return outbox;
    }
    std::vector<std::string> ids(const RecordFilter& filter,
                                 std::optional<RecordPosition> after = std::nullopt,
                                 std::size_t limit = 1000) {
        std::vector<std::string> out;
        for (const auto& r : valueOrThrow(records().queryRecords(filter, after, limit))) {
            out.push_back(r.eventId);
        }
        return out;
    }
    std::int64_t count(std::int64_t lockId) {
        RecordFilter filter;
        filter.lockId = lockId;
        return static_cast<std::int64_t>(ids(filter).size());
    }
    void deliverAll() {
        std::vector<std::int64_t> all;
        for (const auto& entry : valueOrThrow(locks().pendingOutbox(100000))) {
            all.push_back(entry.id);
        }
        ASSERT_TRUE(locks().removeOutbox(all));
    }

    Subject subject_;
    std::int64_t front_ = 0;
    std::int64_t back_ = 0;
    int seq_ = 0;
};

using RecordStores = ::testing::Types<SqliteRecordsUnderTest, FakeRecordsUnderTest>;
TYPED_TEST_SUITE(RecordStoreContract, RecordStores);

constexpr std::int64_t kMs = 1700000000000;
using V = std::vector<std::string>;

TYPED_TEST(RecordStoreContract, ARecordComesBackWithItsLockTopicTimesAndMessage) {
    this->store({this->event(this->front_, kMs + 7, {{"event", "unlock"}})});
    const auto rows = valueOrThrow(this->records().queryRecords({}, std::nullopt, 10));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].id, 1);
    EXPECT_EQ(rows[0].lockId, this->front_);
    EXPECT_EQ(rows[0].lockTopic, "front");
    EXPECT_EQ(rows[0].dp, 12);
    EXPECT_EQ(rows[0].lockTime, 1700000000);
    EXPECT_EQ(rows[0].hubTimeMs, kMs + 7);
    EXPECT_EQ(rows[0].eventId, "ev-1");
    EXPECT_EQ(nlohmann::json::parse(rows[0].payload),
              (nlohmann::json{{"event", "unlock"}, {"event_id", "ev-1"}}));
}

TYPED_TEST(RecordStoreContract, OrderIsHubTimeThenIdAndPagesResumeAfterAPosition) {
    // Stored out of time order; three share one millisecond.
    this->store({this->event(this->front_, kMs + 2000, {}), this->event(this->front_, kMs, {}),
                 this->event(this->back_, kMs + 1000, {}),
                 this->event(this->front_, kMs + 1000, {}),
                 this->event(this->back_, kMs + 1000, {})});
    EXPECT_EQ(this->ids({}), (V{"ev-2", "ev-3", "ev-4", "ev-5", "ev-1"}));
    EXPECT_EQ(this->ids({}, std::nullopt, 2), (V{"ev-2", "ev-3"}));
    EXPECT_EQ(this->ids({}, RecordPosition{kMs + 1000, 3}, 2), (V{"ev-4", "ev-5"}));
    EXPECT_EQ(this->ids({}, RecordPosition{kMs + 1000, 5}), (V{"ev-1"}));
    EXPECT_EQ(this->ids({}, RecordPosition{kMs + 2000, 1}), V{});
}

TYPED_TEST(RecordStoreContract, FiltersMatchTheMessagesEventMethodAndUser) {
    const nlohmann::json alice{{"id", 1}, {"name", "Alice"}};
    this->store(
        {this->event(this->front_, kMs, {{"event", "unlock"}, {"method", "card"}, {"user", alice}}),
         this->event(this->front_, kMs + 1,
                     {{"event", "wrong_code"}, {"method", "card"}, {"user", nullptr}}),
         this->event(this->back_, kMs + 2,
                     {{"event", "unlock"}, {"method", "fingerprint"}, {"user", alice}}),
         this->event(this->back_, kMs + 3, {{"event", "records_lost"}, {"method", nullptr}},
                     "records_lost")});
    RecordFilter f;
    f.lockId = this->back_;
    EXPECT_EQ(this->ids(f), (V{"ev-3", "ev-4"}));
    f = {};
    f.userId = 1;
    EXPECT_EQ(this->ids(f), (V{"ev-1", "ev-3"}));
    f = {};
    f.method = "card";
    EXPECT_EQ(this->ids(f), (V{"ev-1", "ev-2"}));
    f = {};
    f.event = "records_lost";
    EXPECT_EQ(this->ids(f), (V{"ev-4"}));
    f = {};
    f.sinceMs = kMs + 1;
    f.untilMs = kMs + 3;
    EXPECT_EQ(this->ids(f), (V{"ev-2", "ev-3"}));
    f.event = "unlock";
    f.userId = 1;
    EXPECT_EQ(this->ids(f), (V{"ev-3"}));
}

TYPED_TEST(RecordStoreContract, RecordsOfARemovedLockStayWithItsTopic) {
    this->store({this->event(this->back_, kMs, {})});
    ASSERT_TRUE(this->locks().removeLock(this->back_));
    const auto rows = valueOrThrow(this->records().queryRecords({}, std::nullopt, 10));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].lockTopic, "back");
}

TYPED_TEST(RecordStoreContract, LastLockTimeIsTheLocksOwnLatestValidRecord) {
    EXPECT_EQ(valueOrThrow(this->records().lastLockTime(this->front_)), std::nullopt);
    this->store({this->event(this->front_, kMs, {}),
                 this->event(this->front_, kMs + 5000, {{"event", "clock_drift"}}, "clock_drift"),
                 this->event(this->front_, kMs + 6000, {{"time_corrected", true}}),
                 this->event(this->back_, kMs + 9000, {})});
    EXPECT_EQ(valueOrThrow(this->records().lastLockTime(this->front_)), 1700000000);
}

TYPED_TEST(RecordStoreContract, LostRecordsAddUpTheLocksRecordsLostEventsAndKeepTheNewest) {
    EXPECT_EQ(valueOrThrow(this->records().lostRecords(this->front_)).gaps, 0);
    const auto lost = [&](std::int64_t lockId, std::int64_t hubMs, int count) {
        return this->event(lockId, hubMs, {{"event", "records_lost"}, {"count", count}},
                           "records_lost");
    };
    // Stored out of hub-time order; an unlock and a lock event named like one do not count.
    this->store({lost(this->front_, kMs + 9000, 4), lost(this->front_, kMs, 10),
                 lost(this->back_, kMs + 20000, 7),
                 this->event(this->front_, kMs + 30000, {{"event", "records_lost"}, {"count", 5}}),
                 this->event(this->front_, kMs + 40000, {{"event", "unlock"}})});
    const auto front = valueOrThrow(this->records().lostRecords(this->front_));
    EXPECT_EQ(front.gaps, 2);
    EXPECT_EQ(front.estimated, 14);
    ASSERT_TRUE(front.latest.has_value());
    EXPECT_EQ(front.latest->hubTimeMs, kMs + 9000);
    EXPECT_EQ(nlohmann::json::parse(front.latest->payload),
              (nlohmann::json{{"event", "records_lost"}, {"count", 4}, {"event_id", "ev-1"}}));
    const auto back = valueOrThrow(this->records().lostRecords(this->back_));
    EXPECT_EQ(back.gaps, 1);
    EXPECT_EQ(back.estimated, 7);
    this->deliverAll();
    ASSERT_EQ(valueOrThrow(this->records().trimOldest(this->front_, 10)), 4u);
    const auto trimmed = valueOrThrow(this->records().lostRecords(this->front_));
    EXPECT_EQ(trimmed.gaps, 0);
    EXPECT_EQ(trimmed.estimated, 0);
    EXPECT_FALSE(trimmed.latest.has_value());
}

TYPED_TEST(RecordStoreContract, TrimOldestDeletesOnlyDeliveredRecordsOldestFirst) {
    std::vector<StoredEvent> batch;
    for (int i = 0; i < 10; ++i) {
        batch.push_back(this->event(this->front_, kMs + i * 1000, {}));
    }
    batch.push_back(this->event(this->back_, kMs, {}));
    const auto outbox = this->store(batch);
    EXPECT_EQ(valueOrThrow(this->records().trimOldest(this->front_, 5)), 0u);  // none delivered
    // The three oldest and the other lock's: the adapter keeps every record received since the
    // oldest message still waiting (docs/records.md), so nothing older may wait.
    ASSERT_TRUE(this->locks().removeOutbox(std::span(outbox).first(3)));
    ASSERT_TRUE(this->locks().removeOutbox(std::span(outbox).last(1)));
    EXPECT_EQ(valueOrThrow(this->records().trimOldest(this->front_, 5)), 3u);
    this->deliverAll();
    EXPECT_EQ(valueOrThrow(this->records().trimOldest(this->front_, 2)), 2u);
    EXPECT_EQ(this->count(this->front_), 5);
    EXPECT_EQ(this->count(this->back_), 1);
    RecordFilter f;
    f.lockId = this->front_;
    EXPECT_EQ(this->ids(f), (V{"ev-6", "ev-7", "ev-8", "ev-9", "ev-10"}));
    const auto counts = valueOrThrow(this->records().recordCounts());
    ASSERT_EQ(counts.size(), 2u);
    EXPECT_EQ(counts[0].lockId, this->front_);
    EXPECT_EQ(counts[0].count, 5);
    EXPECT_EQ(counts[1].count, 1);
}

TYPED_TEST(RecordStoreContract, ATrimmedRecordReplayedIsStoredAgain) {
    auto first = this->event(this->front_, kMs, {});
    this->store({first});
    this->deliverAll();
    EXPECT_EQ(valueOrThrow(this->records().trimOldest(this->front_, 10)), 1u);
    first.eventId = "ev-again";
    const auto outcomes = valueOrThrow(this->locks().recordEvents(std::vector{first}));
    EXPECT_EQ(outcomes[0].kind, ports::RecordOutcome::Kind::Stored);
}

TYPED_TEST(RecordStoreContract, TrimBeforeDeletesByHubTimeAcrossLocksInBatches) {
    this->store({this->event(this->front_, kMs, {}), this->event(this->back_, kMs + 1, {}),
                 this->event(this->front_, kMs + 2, {}), this->event(this->back_, kMs + 3000, {})});
    this->deliverAll();
    EXPECT_EQ(valueOrThrow(this->records().trimBefore(kMs + 3000, 2)), 2u);
    EXPECT_EQ(this->ids({}), (V{"ev-3", "ev-4"}));
    EXPECT_EQ(valueOrThrow(this->records().trimBefore(kMs + 3000, 2)), 1u);
    EXPECT_EQ(this->ids({}), (V{"ev-4"}));
}

}  // namespace
}  // namespace lockhub::testing
