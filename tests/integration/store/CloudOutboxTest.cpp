// SqliteCloudOutbox on real SQLite files (schema version 15): the upstream copy of each lock event
// commits with its record and local outbox row or not at all, only `<lock>/event` messages are
// copied, the journal is stored durably, and the bound of the copies is their own.
#include <gtest/gtest.h>

#include <filesystem>

#include "adapters/sqlite/SqliteCloudOutbox.h"
#include "integration/store/LockStoreSamples.h"
#include "support/TempDir.h"

namespace lockhub::adapters::sqlite {
namespace {

using testing::Hub;
using testing::sampleBatch;
using testing::sampleEvent;
using testing::sampleLock;
using testing::TempDir;

constexpr const char* kUp = "cloud/0123456789abcdef";

class CloudOutboxTest : public ::testing::Test {
protected:
    std::filesystem::path stateDir() const { return tmp_.path() / "state"; }

    TempDir tmp_;
};

TEST_F(CloudOutboxTest, AnEventIsCopiedInTheSameTransactionAsItsRecord) {
    Hub hub(stateDir());
    SqliteCloudOutbox cloud(hub.db(), 100, "lockhub", kUp);
    hub.locks().mirrorEventsTo(cloud);
    const auto lock = hub.locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0).value();

    // A batch that fails half-way leaves no copy either.
    ASSERT_TRUE(
        hub.db().exec("CREATE TEMP TRIGGER refuse_third BEFORE INSERT ON outbox "
                      "WHEN NEW.payload = CAST('{\"event_id\":\"ev-2\"}' AS BLOB) "
                      "BEGIN SELECT RAISE(ABORT, 'third refused'); END",
                      "test trigger"));
    const auto batch = sampleBatch(lock.id, 3);
    ASSERT_FALSE(hub.locks().recordEvents(batch).has_value());
    EXPECT_EQ(hub.count("SELECT count(*) FROM cloud_outbox"), 0);
    ASSERT_TRUE(hub.db().exec("DROP TRIGGER refuse_third", "drop"));

    ASSERT_TRUE(hub.locks().recordEvents(batch).has_value());
    const auto copies = cloud.pendingOutbox(10).value();
    ASSERT_EQ(copies.size(), 3u);
    const auto local = hub.locks().pendingOutbox(10).value();
    for (std::size_t i = 0; i < copies.size(); ++i) {
        EXPECT_EQ(copies[i].message.topic, std::string(kUp) + "/front/event");
        EXPECT_EQ(copies[i].message.payload, local[i].message.payload);
        EXPECT_EQ(copies[i].message.qos, 1);
        EXPECT_FALSE(copies[i].message.retained);
    }
    // Delivered locally, the copies stay for the upstream, and the other way round.
    ASSERT_TRUE(hub.locks().removeOutbox(testing::idsOf(local)).has_value());
    EXPECT_EQ(cloud.pendingOutbox(10).value().size(), 3u);
    ASSERT_TRUE(cloud.removeOutbox(testing::idsOf(copies)).has_value());
    EXPECT_EQ(hub.count("SELECT count(*) FROM cloud_outbox"), 0);
}

TEST_F(CloudOutboxTest, OnlyLockEventsAreCopied) {
    Hub hub(stateDir());
    SqliteCloudOutbox cloud(hub.db(), 100, "lockhub", kUp);
    hub.locks().mirrorEventsTo(cloud);
    for (const char* topic : {"lockhub/front/set/result", "lockhub/bridge/event",
                              "lockhub/front/state", "other/front/event", "lockhub/event"}) {
        ASSERT_TRUE(hub.locks().enqueueOutbox({topic, "{}", 1, false}).has_value()) << topic;
    }
    EXPECT_EQ(hub.count("SELECT count(*) FROM cloud_outbox"), 0);
    // A hub's own event on a lock's topic (a lockout) is mirrored like a record's.
    ASSERT_TRUE(hub.locks().enqueueOutbox({"lockhub/front/event", "{}", 1, false}).has_value());
    ASSERT_EQ(cloud.pendingOutbox(10).value().size(), 1u);
    EXPECT_EQ(cloud.pendingOutbox(10).value()[0].message.topic, std::string(kUp) + "/front/event");
}

TEST_F(CloudOutboxTest, JournalEntriesSurviveARestartAndTheBoundCountsItsOwnDrops) {
    {
        Hub hub(stateDir());
        SqliteCloudOutbox cloud(hub.db(), 2, "lockhub", kUp);
        hub.locks().mirrorEventsTo(cloud);
        const auto lock = hub.locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0).value();
        ASSERT_TRUE(cloud.enqueueOutbox({std::string(kUp) + "/journal", "{\"n\":1}", 1, false})
                        .has_value());
        for (int i = 0; i < 3; ++i) {
            ASSERT_TRUE(hub.locks()
                            .recordEvents(std::vector{
                                sampleEvent(lock.id, 1700000100 + i, "ev-" + std::to_string(i))})
                            .has_value());
        }
        EXPECT_EQ(cloud.droppedOutbox().value(), 2);
        EXPECT_EQ(hub.locks().droppedOutbox().value(), 0) << "the local outbox has room";
        hub.close();
    }
    Hub hub(stateDir());
    SqliteCloudOutbox cloud(hub.db(), 10, "lockhub", kUp);
    const auto kept = cloud.pendingOutbox(10).value();
    ASSERT_EQ(kept.size(), 2u);
    EXPECT_EQ(kept[0].message.payload, R"({"event_id":"ev-1"})");
    EXPECT_EQ(kept[1].message.payload, R"({"event_id":"ev-2"})");
    EXPECT_EQ(cloud.droppedOutbox().value(), 2);
    EXPECT_EQ(hub.count("SELECT count(*) FROM outbox"), 3);
}

}  // namespace
}  // namespace lockhub::adapters::sqlite
