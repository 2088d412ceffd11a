// EventPipeline: a lock record is stored with its outbox row before the lock hears an ack, reports
// of one loop turn share one commit, a refused commit leaves the record with the lock, and replays
// are recognised.
#include <gtest/gtest.h>

#include "app/EventPipeline.h"
#include "tests/unit/app/ServiceHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using protocol::tuya::Dp;
using test::at;
using test::kFrontMac;

constexpr std::int64_t kLockTime = 1700000100;

class EventPipelineTest : public ::testing::Test {
protected:
    void SetUp() override { hub_.startWithLock(); }
    protocol::tuya::LockSession& lock() { return *hub_.radio.lock(kFrontMac).session; }
    std::vector<nlohmann::json> events() {
        std::vector<nlohmann::json> out;
        for (const auto& payload : hub_.broker.payloadsOn("lockhub/front/event")) {
            out.push_back(nlohmann::json::parse(payload));
        }
        return out;
    }

    test::ServiceHarness hub_;
};

TEST_F(EventPipelineTest, ARecordIsStoredThenPublishedAndAcknowledged) {
    hub_.broker.autoAcknowledge = false;
    const auto id = hub_.radio.report(kFrontMac, {Dp::integer(12, 3)}, at(kLockTime));
    // Delivered to the hub, waiting for the commit at the end of the loop turn.
    hub_.scheduler.settle();
    EXPECT_EQ(hub_.storedRecords(), 1u);
    EXPECT_TRUE(lock().isAcknowledged(id));
    const auto published = events();
    ASSERT_EQ(published.size(), 1u);
    EXPECT_EQ(published[0]["event"], "unlock");
    EXPECT_EQ(published[0]["method"], "fingerprint");
    EXPECT_EQ(published[0]["credential"], 3);
    EXPECT_EQ(published[0]["lock_time"], "2023-11-14T22:15:00Z");
    EXPECT_EQ(published[0]["event_id"].get<std::string>().size(), 16u);
    // The row stays in the outbox until the broker acknowledges it.
    EXPECT_EQ(hub_.store.pendingOutbox(10).value().size(), 1u);
    hub_.broker.complete();
    hub_.scheduler.advance(OutboxPumpOptions{}.removeWithin);  // no record commit to ride on
    EXPECT_TRUE(hub_.store.pendingOutbox(10).value().empty());
}

TEST_F(EventPipelineTest, ARecordTheStoreRefusesIsNotAcknowledgedAndArrivesAgainLater) {
    hub_.store.failWrites(true);
    const auto id = hub_.radio.report(kFrontMac, {Dp::integer(12, 3)}, at(kLockTime));
    hub_.scheduler.settle();
    EXPECT_FALSE(lock().isAcknowledged(id));
    ASSERT_TRUE(hub_.events.storageProblem());
    EXPECT_NE(hub_.events.storageProblem()->find("failWrites"), std::string::npos)
        << *hub_.events.storageProblem();
    // Published live all the same, and only once however often the lock sends it meanwhile
    // (it sends a report three times before it keeps it for the next connection).
    hub_.scheduler.advance(7s);
    EXPECT_FALSE(lock().isAcknowledged(id));
    ASSERT_EQ(events().size(), 1u);
    EXPECT_EQ(events()[0]["event"], "unlock");

    hub_.store.failWrites(false);
    hub_.scheduler.advance(7s);  // the lock sends it again
    EXPECT_TRUE(lock().isAcknowledged(id));
    EXPECT_EQ(hub_.storedRecords(), 1u);
    // The stored copy is published too: a duplicate with the same event_id.
    const auto published = events();
    ASSERT_EQ(published.size(), 2u);
    EXPECT_EQ(published[1]["event_id"], published[0]["event_id"]);
    EXPECT_FALSE(hub_.events.storageProblem());
}

TEST_F(EventPipelineTest, AnUntimedRecordTheStoreRefusesWaitsForTheStore) {
    hub_.store.failWrites(true);
    const auto id = hub_.radio.report(kFrontMac, {Dp::boolean(24, true)});
    hub_.scheduler.settle();
    EXPECT_FALSE(lock().isAcknowledged(id));
    // Its resend would get a new event_id: publishing it now would make two doorbells of one.
    EXPECT_TRUE(events().empty());

    hub_.store.failWrites(false);
    hub_.scheduler.advance(7s);
    EXPECT_TRUE(lock().isAcknowledged(id));
    ASSERT_EQ(events().size(), 1u);
    EXPECT_EQ(events()[0]["event"], "doorbell");
}

TEST_F(EventPipelineTest, ReportsOfOneLoopTurnShareOneCommit) {
    hub_.radio.addLock("DC:23:4D:00:00:02", test::lockSideOf("5b"));
    ASSERT_TRUE(hub_.store.addLock(test::recordOf("back", "DC:23:4D:00:00:02", "5b"), 0));
    hub_.registry.adopt(hub_.store.locks().value().back());
    hub_.scheduler.advance(500ms);
    const auto batchesBefore = hub_.store.recordBatches();
    hub_.radio.report(kFrontMac, {Dp::integer(12, 3)}, at(kLockTime));
    hub_.radio.report("DC:23:4D:00:00:02", {Dp::integer(13, 4)}, at(kLockTime));
    hub_.scheduler.settle();
    EXPECT_EQ(hub_.storedRecords(), 2u);
    EXPECT_EQ(hub_.store.recordBatches() - batchesBefore, 1u);
    EXPECT_EQ(events().size(), 1u);
    EXPECT_EQ(hub_.broker.on("lockhub/back/event").size(), 1u);
}

TEST_F(EventPipelineTest, ARecordReplayedOnANewConnectionIsStoredAndPublishedOnce) {
    hub_.radio.report(kFrontMac, {Dp::integer(12, 3)}, at(kLockTime));
    hub_.scheduler.settle();
    hub_.radio.dropLink(kFrontMac);
    hub_.radio.lock(kFrontMac).inRange = true;
    hub_.scheduler.advance(60s);
    ASSERT_TRUE(hub_.radio.lock(kFrontMac).connected);
    // The lock did not see the ack and replays the record with its original time.
    const auto replay = hub_.radio.report(kFrontMac, {Dp::integer(12, 3)}, at(kLockTime));
    hub_.scheduler.settle();
    EXPECT_TRUE(lock().isAcknowledged(replay));
    EXPECT_EQ(hub_.storedRecords(), 1u);
    EXPECT_EQ(events().size(), 1u);
}

TEST_F(EventPipelineTest, DistinctRecordsWithoutALockTimeAreEachKeptWithTheirOwnId) {
    hub_.radio.report(kFrontMac, {Dp::boolean(24, true)});
    hub_.scheduler.settle();
    hub_.radio.report(kFrontMac, {Dp::boolean(22, true)});
    hub_.scheduler.settle();
    hub_.radio.report(kFrontMac, {Dp::boolean(24, true)});
    hub_.scheduler.settle();
    const auto published = events();
    ASSERT_EQ(published.size(), 3u);
    EXPECT_EQ(published[0]["event"], "doorbell");
    EXPECT_EQ(published[1]["event"], "duress");
    EXPECT_EQ(published[2]["event"], "doorbell");
    EXPECT_NE(published[0]["event_id"], published[2]["event_id"]);
    EXPECT_EQ(published[0]["lock_time"], nullptr);
}

TEST_F(EventPipelineTest, AStateOnlyReportIsAcknowledgedAtOnceAndStoresNothing) {
    const auto id = hub_.radio.report(kFrontMac, {Dp::integer(8, 55), Dp::enumeration(9, 1)});
    hub_.scheduler.settle();
    EXPECT_TRUE(lock().isAcknowledged(id));
    EXPECT_EQ(hub_.storedRecords(), 0u);
    EXPECT_EQ(hub_.lastJson("lockhub/front/state")["battery"], 55);
}

TEST_F(EventPipelineTest, UnknownDpsArePublishedRawAndSecretOnesNever) {
    hub_.radio.report(kFrontMac, {Dp::raw(200, {0xAB, 0x01})});
    hub_.radio.report(kFrontMac, {Dp::raw(71, {1, 2, 3})});  // malformed check-code reply
    hub_.scheduler.settle();
    const auto raw = hub_.lastJson("lockhub/front/dp/200");
    EXPECT_EQ(raw["value"], "ab01");
    EXPECT_EQ(raw["type"], "raw");
    EXPECT_TRUE(hub_.broker.on("lockhub/front/dp/71").empty());
}

}  // namespace
}  // namespace lockhub
