// SqliteLockStore's records and outbox on real SQLite files: what a row holds, replays, a batch
// failing half-way, ids that are never reused, and the bound with its persisted count and its
// warning. What every LockStore must do is in LockStoreContractTest.cpp.
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "app/Log.h"
#include "integration/store/LockStoreSamples.h"
#include "support/TempDir.h"

namespace lockhub::adapters::sqlite {
namespace {

using ports::RecordOutcome;
using ports::StoredEvent;
using testing::Hub;
using testing::idsOf;
using testing::recordOne;
using testing::sampleBatch;
using testing::sampleEvent;
using testing::sampleLock;
using testing::TempDir;
using Kind = RecordOutcome::Kind;

class RecordStoreTest : public ::testing::Test {
protected:
    std::filesystem::path stateDir() const { return tmp_.path() / "state"; }

    TempDir tmp_;
};

TEST_F(RecordStoreTest, AReplayedRecordIsRefusedAndStoresNothing) {
    Hub hub(stateDir());
    const auto lock = hub.locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0).value();
    EXPECT_EQ(recordOne(hub.locks(), sampleEvent(lock.id, 1700000100, "ev-1")), Kind::Stored);

    // Same (lock, dp, value, lock time), new event id and hub time: the lock replayed it.
    auto replay = sampleEvent(lock.id, 1700000100, "ev-2");
    replay.hubTimeMs += 60000;
    EXPECT_EQ(recordOne(hub.locks(), replay), Kind::Duplicate);
    EXPECT_EQ(hub.count("SELECT count(*) FROM records"), 1);
    EXPECT_EQ(hub.count("SELECT count(*) FROM outbox"), 1);

    // Any one of the four differing makes it a new record.
    auto otherValue = sampleEvent(lock.id, 1700000100, "ev-3");
    otherValue.value = {0x00, 0x04};
    auto otherDp = sampleEvent(lock.id, 1700000100, "ev-4");
    otherDp.dp = 20;
    auto otherTime = sampleEvent(lock.id, 1700000101, "ev-5");
    for (const auto& event : {otherValue, otherDp, otherTime}) {
        EXPECT_EQ(recordOne(hub.locks(), event), Kind::Stored) << event.eventId;
    }
    EXPECT_EQ(hub.count("SELECT count(*) FROM records"), 4);
    EXPECT_EQ(hub.count("SELECT count(*) FROM outbox"), 4);
    EXPECT_EQ(hub.db()
                  .queryText("SELECT hex(value) || ',' || hub_time_ms || ',' || event_id "
                             "FROM records WHERE id = 1")
                  .value(),
              "0003,1700000100250,ev-1");

    auto unknown = recordOne(hub.locks(), sampleEvent(9, 1, "ev-9"));
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(unknown.error().code, Errc::NotFound);
    EXPECT_EQ(unknown.error().message, "no paired lock has id 9");
    EXPECT_EQ(hub.count("SELECT count(*) FROM records"), 4);
}

TEST_F(RecordStoreTest, OutboxIsOldestFirstAndRowsLeaveOnlyWhenRemoved) {
    std::vector<std::int64_t> ids;
    {
        Hub hub(stateDir());
        const auto lock = hub.locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0).value();
        for (int i = 0; i < 3; ++i) {
            ASSERT_EQ(recordOne(hub.locks(),
                                sampleEvent(lock.id, 1700000100 + i, "ev-" + std::to_string(i)))
                          .value(),
                      Kind::Stored);
        }
        auto pending = hub.locks().pendingOutbox(10).value();
        ASSERT_EQ(pending.size(), 3u);
        for (std::size_t i = 0; i < pending.size(); ++i) {
            EXPECT_EQ(pending[i].message.topic, "lockhub/front/event");
            EXPECT_EQ(pending[i].message.payload,
                      R"({"event_id":"ev-)" + std::to_string(i) + R"("})");
            EXPECT_EQ(pending[i].message.qos, 1);
            EXPECT_FALSE(pending[i].message.retained);
            ids.push_back(pending[i].id);
        }
        EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
        EXPECT_TRUE(hub.locks().pendingOutbox(0).value().empty());
        hub.close();
    }
    // Unacknowledged messages survive a restart.
    Hub hub(stateDir());
    auto firstTwo = hub.locks().pendingOutbox(2).value();
    ASSERT_EQ(firstTwo.size(), 2u);
    EXPECT_EQ(firstTwo[0].id, ids[0]);
    EXPECT_EQ(firstTwo[1].id, ids[1]);

    const std::vector<std::int64_t> second{ids[1]};
    ASSERT_TRUE(hub.locks().removeOutbox(second).has_value());
    ASSERT_TRUE(hub.locks().removeOutbox(second).has_value()) << "already gone is fine";
    auto rest = hub.locks().pendingOutbox(10).value();
    ASSERT_EQ(rest.size(), 2u);
    EXPECT_EQ(rest[0].id, ids[0]);
    EXPECT_EQ(rest[1].id, ids[2]);
    EXPECT_EQ(hub.count("SELECT count(*) FROM records"), 3) << "records never leave";
    EXPECT_EQ(hub.locks().droppedOutbox().value(), 0);
}

struct CapturedLog {
    std::string tag;
    std::string message;
    std::vector<std::pair<std::string, std::string>> fields;
};

// The warnings logged while it lives; afterwards nothing is logged (as in the other tests).
class CapturedWarnings {
public:
    CapturedWarnings() {
        log::setSink([this](log::Level level, std::string_view tag, std::string_view message,
                            std::span<const log::Field> fields) {
            if (level == log::Level::Warning) {
                CapturedLog entry{std::string(tag), std::string(message), {}};
                for (const auto& field : fields) {
                    entry.fields.emplace_back(field.key, field.value);
                }
                entries.push_back(std::move(entry));
            }
        });
    }
    ~CapturedWarnings() {
        log::setSink([](auto&&...) {});
    }
    CapturedWarnings(const CapturedWarnings&) = delete;
    CapturedWarnings& operator=(const CapturedWarnings&) = delete;

    std::vector<CapturedLog> entries;
};

TEST_F(RecordStoreTest, AFullOutboxDropsTheOldestCountsAndLogsIt) {
    CapturedWarnings warnings;
    auto& logged = warnings.entries;
    {
        Hub hub(stateDir(), std::nullopt, 2);
        const auto lock = hub.locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0).value();
        for (int i = 0; i < 5; ++i) {
            ASSERT_EQ(recordOne(hub.locks(),
                                sampleEvent(lock.id, 1700000100 + i, "ev-" + std::to_string(i)))
                          .value(),
                      Kind::Stored);
        }
        auto pending = hub.locks().pendingOutbox(10).value();
        ASSERT_EQ(pending.size(), 2u);
        EXPECT_EQ(pending[0].message.payload, R"({"event_id":"ev-3"})");
        EXPECT_EQ(pending[1].message.payload, R"({"event_id":"ev-4"})");
        EXPECT_EQ(hub.locks().droppedOutbox().value(), 3);
        EXPECT_EQ(hub.count("SELECT count(*) FROM records"), 5) << "records are never dropped";
        hub.close();
    }
    ASSERT_EQ(logged.size(), 3u);
    EXPECT_EQ(logged[2].tag, "store");
    EXPECT_EQ(logged[2].message, "outbox full: dropped the oldest unpublished messages");
    const std::vector<std::pair<std::string, std::string>> expectedFields{
        {"DROPPED", "1"}, {"DROPPED_TOTAL", "3"}, {"OUTBOX_LIMIT", "2"}};
    EXPECT_EQ(logged[2].fields, expectedFields);

    // The count is kept in the database; a larger bound (a new config) keeps the rows it has.
    Hub hub(stateDir(), std::nullopt, 10);
    EXPECT_EQ(hub.locks().droppedOutbox().value(), 3);
    EXPECT_EQ(hub.locks().pendingOutbox(10).value().size(), 2u);
}

TEST_F(RecordStoreTest, ASmallerBoundAfterARestartDropsEverythingOverIt) {
    {
        Hub hub(stateDir(), std::nullopt, 10);
        const auto lock = hub.locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0).value();
        for (int i = 0; i < 4; ++i) {
            ASSERT_EQ(
                recordOne(hub.locks(), sampleEvent(lock.id, 100 + i, "ev-" + std::to_string(i))),
                Kind::Stored);
        }
        hub.close();
    }
    log::setSink([](auto&&...) {});
    Hub hub(stateDir(), std::nullopt, 0);  // 0 counts as 1
    ASSERT_EQ(recordOne(hub.locks(), sampleEvent(1, 200, "ev-new")).value(), Kind::Stored);
    auto pending = hub.locks().pendingOutbox(10).value();
    ASSERT_EQ(pending.size(), 1u);
    EXPECT_EQ(pending[0].message.payload, R"({"event_id":"ev-new"})");
    EXPECT_EQ(hub.locks().droppedOutbox().value(), 4);
}

// The third event's outbox row fails after two records and two rows were written: the batch is
// one transaction, so none of it stays, and the connection is usable afterwards.
TEST_F(RecordStoreTest, AFailureHalfWayThroughABatchStoresNothingOfIt) {
    Hub hub(stateDir());
    const auto lock = hub.locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0).value();
    ASSERT_TRUE(
        hub.db().exec("CREATE TEMP TRIGGER refuse_third BEFORE INSERT ON outbox "
                      "WHEN NEW.payload = CAST('{\"event_id\":\"ev-2\"}' AS BLOB) "
                      "BEGIN SELECT RAISE(ABORT, 'third refused'); END",
                      "test trigger"));
    const auto batch = sampleBatch(lock.id, 4);
    auto recorded = hub.locks().recordEvents(batch);
    ASSERT_FALSE(recorded.has_value());
    EXPECT_EQ(recorded.error().code, Errc::Storage);
    EXPECT_NE(recorded.error().message.find("third refused"), std::string::npos)
        << recorded.error().message;
    EXPECT_EQ(hub.count("SELECT count(*) FROM records"), 0);
    EXPECT_EQ(hub.count("SELECT count(*) FROM outbox"), 0);

    ASSERT_TRUE(hub.db().exec("DROP TRIGGER refuse_third", "drop"));
    auto again = hub.locks().recordEvents(batch);
    ASSERT_TRUE(again.has_value()) << again.error().message;
    ASSERT_EQ(again->size(), 4u);
    for (std::size_t i = 0; i < again->size(); ++i) {
        EXPECT_EQ((*again)[i].kind, Kind::Stored);
        EXPECT_EQ((*again)[i].recordId, static_cast<std::int64_t>(i + 1));
    }
}

// An event for a removed lock fails the whole batch, including the events before it.
TEST_F(RecordStoreTest, ABatchWithARemovedLocksEventStoresNothing) {
    Hub hub(stateDir());
    const auto front = hub.locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0).value();
    const auto back = hub.locks().addLock(sampleLock("back", "AA:BB:CC:DD:EE:02"), 0).value();
    ASSERT_TRUE(hub.locks().removeLock(back.id).has_value());
    const std::vector<StoredEvent> batch{sampleEvent(front.id, 1700000100, "ev-1"),
                                         sampleEvent(back.id, 1700000100, "ev-2")};
    auto recorded = hub.locks().recordEvents(batch);
    ASSERT_FALSE(recorded.has_value());
    EXPECT_EQ(recorded.error().code, Errc::NotFound);
    EXPECT_EQ(recorded.error().message, "no paired lock has id 2");
    EXPECT_EQ(hub.count("SELECT count(*) FROM records"), 0);
    EXPECT_EQ(hub.count("SELECT count(*) FROM outbox"), 0);
}

TEST_F(RecordStoreTest, RecordsKeepTheirFieldsAndAnAbsentLockTimeIsNull) {
    Hub hub(stateDir());
    const auto lock = hub.locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0).value();
    auto untimed = sampleEvent(lock.id, std::nullopt, "ev-1");
    untimed.value = {};  // an empty value is still a value, not NULL
    const std::vector<StoredEvent> batch{untimed, sampleEvent(lock.id, 1700000100, "ev-2")};
    ASSERT_TRUE(hub.locks().recordEvents(batch).has_value());
    EXPECT_EQ(hub.db()
                  .queryText("SELECT group_concat(id || ',' || lock_id || ',' || dp || ',' || "
                             "quote(value) || ',' || coalesce(lock_time, 'NULL') || ',' || "
                             "hub_time_ms || ',' || event_id, ';') FROM records")
                  .value(),
              "1,1,19,X'',NULL,1700000000250,ev-1;2,1,19,X'0003',1700000100,1700000100250,ev-2");
    EXPECT_EQ(hub.db()
                  .queryText("SELECT group_concat(topic || ',' || CAST(payload AS TEXT) || ',' || "
                             "qos || ',' || retained || ',' || created_at, ';') FROM outbox")
                  .value(),
              R"(lockhub/front/event,{"event_id":"ev-1"},1,0,1700000000;)"
              R"(lockhub/front/event,{"event_id":"ev-2"},1,0,1700000100)");
}

TEST_F(RecordStoreTest, AnEnqueuedMessageKeepsItsQosAndRetainFlagAndIsCreatedNow) {
    Hub hub(stateDir());
    auto id = hub.locks().enqueueOutbox({"lockhub/front/set/result", R"({"ok":true})", 0, true});
    ASSERT_TRUE(id.has_value()) << id.error().message;
    EXPECT_EQ(*id, 1);
    EXPECT_EQ(hub.count("SELECT count(*) FROM outbox WHERE id = 1 AND qos = 0 AND retained = 1 "
                        "AND created_at BETWEEN unixepoch() - 5 AND unixepoch()"),
              1);
    auto badQos = hub.locks().enqueueOutbox({"lockhub/front/set/result", "{}", 3, false});
    ASSERT_FALSE(badQos.has_value());
    EXPECT_EQ(badQos.error().code, Errc::BadRequest);
    EXPECT_EQ(badQos.error().message, "outbox message QoS 3 is not 0, 1 or 2");
    EXPECT_EQ(hub.count("SELECT count(*) FROM outbox"), 1);
}

// Plain rowids would give a new row the id of a deleted highest one; a publisher paging with
// afterId = the last id it saw would then never see it.
TEST_F(RecordStoreTest, OutboxIdsAreNeverReusedEvenAfterARestart) {
    std::int64_t last = 0;
    {
        Hub hub(stateDir());
        for (int i = 0; i < 3; ++i) {
            last = hub.locks().enqueueOutbox({"t", "m", 1, false}).value();
        }
        const std::vector<std::int64_t> all{1, 2, 3};
        ASSERT_TRUE(hub.locks().removeOutbox(all).has_value());
        hub.close();
    }
    Hub hub(stateDir());
    EXPECT_EQ(hub.locks().enqueueOutbox({"t", "m", 1, false}).value(), last + 1);
}

// A batch drops what single events would have dropped, with one warning for all of it; rows of
// the batch itself go first when it alone exceeds the bound.
TEST_F(RecordStoreTest, ABatchOverTheBoundDropsTheOldestOnceAndLogsOnce) {
    CapturedWarnings warnings;
    Hub hub(stateDir(), std::nullopt, 2);
    const auto lock = hub.locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0).value();
    const auto batch = sampleBatch(lock.id, 5);
    auto outcomes = hub.locks().recordEvents(batch).value();
    ASSERT_EQ(outcomes.size(), 5u);
    auto pending = hub.locks().pendingOutbox(10).value();
    const std::vector<std::int64_t> kept{outcomes[3].outboxId, outcomes[4].outboxId};
    EXPECT_EQ(idsOf(pending), kept);
    EXPECT_EQ(pending[0].message.payload, R"({"event_id":"ev-3"})");
    EXPECT_EQ(hub.locks().droppedOutbox().value(), 3);
    EXPECT_EQ(hub.count("SELECT count(*) FROM records"), 5) << "records are never dropped";
    ASSERT_EQ(warnings.entries.size(), 1u);
    const std::vector<std::pair<std::string, std::string>> expectedFields{
        {"DROPPED", "3"}, {"DROPPED_TOTAL", "3"}, {"OUTBOX_LIMIT", "2"}};
    EXPECT_EQ(warnings.entries[0].fields, expectedFields);
}

}  // namespace
}  // namespace lockhub::adapters::sqlite
