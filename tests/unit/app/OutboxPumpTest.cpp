// OutboxPump against a fake broker and the in-memory store: what is stored is published, deleted
// only after the broker's acknowledgement and in batches, retried when the broker refuses, and
// sent again after a reconnect without being confused by the old connection's completions.
#include <gtest/gtest.h>

#include "app/OutboxPump.h"
#include "tests/fakes/FakeBroker.h"
#include "tests/fakes/InMemoryLockStore.h"
#include "tests/fakes/ManualScheduler.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;

constexpr auto kRemoveWithin = OutboxPumpOptions{}.removeWithin;

class OutboxPumpTest : public ::testing::Test {
protected:
    // Stores a row as the event pipeline does and returns it as the pump gets it from memory.
    ports::OutboxEntry store(const std::string& payload) {
        ports::OutboxMessage message{"lockhub/front/event", payload, 1, false};
        return {store_.enqueueOutbox(message).value(), message};
    }
    std::size_t stored() { return store_.pendingOutbox(1000).value().size(); }

    fakes::ManualScheduler scheduler_;
    fakes::FakeBroker broker_{scheduler_};
    fakes::InMemoryLockStore store_;
    OutboxPump pump_{store_, broker_, scheduler_, {.window = 4, .page = 2}};
};

TEST_F(OutboxPumpTest, RowsFromMemoryArePublishedOnceAndDeletedInOneBatchAfterTheirPubacks) {
    broker_.connect();
    pump_.connectionRestarted();
    broker_.autoAcknowledge = false;
    pump_.send({store("a"), store("b"), store("c")});
    EXPECT_EQ(broker_.payloadsOn("lockhub/front/event"), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(stored(), 3u);  // nothing leaves before its acknowledgement
    broker_.complete(true, 2);
    scheduler_.advance(kRemoveWithin - 1ms);
    EXPECT_EQ(stored(), 3u);  // waiting for a commit to ride on
    scheduler_.advance(1ms);
    EXPECT_EQ(stored(), 1u);  // none came: deleted on their own, together
    broker_.complete();
    scheduler_.advance(kRemoveWithin);
    EXPECT_EQ(stored(), 0u);
    EXPECT_EQ(broker_.on("lockhub/front/event").size(), 3u);
}

TEST_F(OutboxPumpTest, DeliveredRowsAreDeletedByTheNextCommitOfNewRows) {
    broker_.connect();
    pump_.connectionRestarted();
    broker_.autoAcknowledge = false;
    pump_.send({store("a"), store("b")});
    broker_.complete(true, 2);
    scheduler_.settle();
    EXPECT_EQ(stored(), 2u);
    pump_.send({store("c")});  // its commit takes the two deletes along
    EXPECT_EQ(stored(), 1u);
    EXPECT_EQ(store_.pendingOutbox(10).value().at(0).message.payload, "c");
}

TEST_F(OutboxPumpTest, TheStoredBacklogGoesOutInPagesOnConnect) {
    for (const char* payload : {"1", "2", "3", "4", "5"}) {
        pump_.send({store(payload)});  // not connected: stays stored
    }
    EXPECT_TRUE(broker_.published.empty());
    broker_.connect();
    pump_.connectionRestarted();
    scheduler_.advance(kRemoveWithin);
    EXPECT_EQ(broker_.payloadsOn("lockhub/front/event"),
              (std::vector<std::string>{"1", "2", "3", "4", "5"}));
    EXPECT_EQ(stored(), 0u);
}

TEST_F(OutboxPumpTest, ARefusedPublishIsRetriedWithBackoffWhileConnected) {
    broker_.connect();
    pump_.connectionRestarted();
    broker_.refusePublishes = true;
    pump_.send({store("a")});
    scheduler_.settle();
    EXPECT_EQ(broker_.on("lockhub/front/event").size(), 1u);
    // Back-off from 1 s, without jitter: the first retry after 750 ms, then 1.5 s later.
    scheduler_.advance(740ms);
    EXPECT_EQ(broker_.on("lockhub/front/event").size(), 1u);
    scheduler_.advance(20ms);
    EXPECT_EQ(broker_.on("lockhub/front/event").size(), 2u);
    broker_.refusePublishes = false;
    scheduler_.advance(1500ms);
    EXPECT_EQ(broker_.on("lockhub/front/event").size(), 3u);
    scheduler_.advance(kRemoveWithin);
    EXPECT_EQ(stored(), 0u);
    scheduler_.advance(60s);
    EXPECT_EQ(broker_.on("lockhub/front/event").size(), 3u);  // delivered: no more retries
}

TEST_F(OutboxPumpTest, AfterAReconnectRowsAreSentAgainAndTheOldSessionsCompletionsAreIgnored) {
    broker_.connect();
    pump_.connectionRestarted();
    broker_.autoAcknowledge = false;
    pump_.send({store("a"), store("b")});
    EXPECT_EQ(pump_.inFlight(), 2u);
    broker_.disconnect();
    broker_.connect();
    pump_.connectionRestarted();  // a clean session: the old tokens may never complete
    EXPECT_EQ(broker_.payloadsOn("lockhub/front/event"),
              (std::vector<std::string>{"a", "b", "a", "b"}));
    EXPECT_EQ(pump_.inFlight(), 2u);  // the new attempts only; nothing kept for the old ones
    broker_.complete(false, 2);       // the old session's tokens fail late
    EXPECT_EQ(pump_.inFlight(), 2u);
    scheduler_.advance(60s);
    EXPECT_EQ(broker_.on("lockhub/front/event").size(), 4u);  // and cause no retry
    broker_.complete(true);
    scheduler_.advance(kRemoveWithin);
    EXPECT_EQ(pump_.inFlight(), 0u);
    EXPECT_EQ(stored(), 0u);
}

TEST_F(OutboxPumpTest, APublishLostWithTheConnectionWaitsForTheNextOne) {
    broker_.connect();
    pump_.connectionRestarted();
    broker_.autoAcknowledge = false;
    pump_.send({store("a")});
    broker_.disconnect();
    broker_.complete(false);
    scheduler_.advance(60s);
    EXPECT_EQ(broker_.on("lockhub/front/event").size(), 1u);
    EXPECT_EQ(stored(), 1u);
    broker_.autoAcknowledge = true;
    broker_.connect();
    pump_.connectionRestarted();
    scheduler_.advance(kRemoveWithin);
    EXPECT_EQ(broker_.on("lockhub/front/event").size(), 2u);
    EXPECT_EQ(stored(), 0u);
}

}  // namespace
}  // namespace lockhub
