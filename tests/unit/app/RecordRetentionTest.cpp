// RecordRetention against the in-memory store: the oldest beyond the count per lock and those
// beyond the age go, a bounded batch per loop turn, never one whose outbox row still waits.
#include <gtest/gtest.h>

#include "app/RecordRetention.h"
#include "tests/fakes/InMemoryLockStore.h"
#include "tests/fakes/ManualScheduler.h"
#include "tests/unit/app/ServiceHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;

// ManualScheduler's UTC clock starts here.
constexpr std::int64_t kRetentionNowMs = 1700000000000;
constexpr std::int64_t kDayMs = 86400000;

class RecordRetentionTest : public ::testing::Test {
protected:
    void SetUp() override {
        front_ = store_.addLock(test::recordOf("front", test::kFrontMac, "5a"), 0).value().id;
        back_ = store_.addLock(test::recordOf("back", "DC:23:4D:00:00:02", "5b"), 0).value().id;
    }
    // `count` records of `lockId`, one a second, the newest `ageMs` ago; returns their outbox ids.
    std::vector<std::int64_t> seed(std::int64_t lockId, int count, std::int64_t ageMs = 0) {
        std::vector<ports::StoredEvent> batch;
        for (int i = 0; i < count; ++i) {
            ports::StoredEvent e;
            e.lockId = lockId;
            e.dp = 12;
            e.value = {static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)};
            e.hubTimeMs = kRetentionNowMs - ageMs - (count - 1 - i) * 1000;
            e.lockTime = e.hubTimeMs / 1000;
            e.eventId = std::to_string(lockId) + "-" + std::to_string(++seq_);
            e.topic = "t";
            e.payload = R"({"event":"unlock"})";
            batch.push_back(e);
        }
        std::vector<std::int64_t> outbox;
        const auto outcomes = store_.recordEvents(batch).value();
        for (const auto& outcome : outcomes) {
            outbox.push_back(outcome.outboxId);
        }
        return outbox;
    }
    void deliver(std::span<const std::int64_t> ids) { ASSERT_TRUE(store_.removeOutbox(ids)); }
    std::int64_t count(std::int64_t lockId) {
        ports::RecordFilter filter;
        filter.lockId = lockId;
        return static_cast<std::int64_t>(store_.queryRecords(filter, std::nullopt, 1000)->size());
    }
    std::int64_t oldestMs(std::int64_t lockId) {
        ports::RecordFilter filter;
        filter.lockId = lockId;
        return store_.queryRecords(filter, std::nullopt, 1)->front().hubTimeMs;
    }

    fakes::ManualScheduler scheduler_;
    fakes::InMemoryLockStore store_;
    std::int64_t front_ = 0;
    std::int64_t back_ = 0;
    int seq_ = 0;
};

TEST_F(RecordRetentionTest, KeepsTheNewestPerLockDeletingABatchPerTurn) {
    deliver(seed(front_, 30));
    deliver(seed(back_, 5));
    RecordRetention retention({.maxPerLock = 20, .maxAgeDays = 0, .batch = 4, .pause = 10ms},
                              store_, scheduler_);
    retention.start();
    scheduler_.advance(0ms);
    EXPECT_EQ(count(front_), 26);  // one batch in the first turn
    scheduler_.advance(10ms);
    EXPECT_EQ(count(front_), 22);
    scheduler_.advance(1s);
    EXPECT_EQ(count(front_), 20);
    EXPECT_EQ(count(back_), 5);
    EXPECT_EQ(oldestMs(front_), kRetentionNowMs - 19000);
    EXPECT_EQ(retention.deleted(), 10);
    EXPECT_FALSE(retention.running());
}

TEST_F(RecordRetentionTest, NeverDeletesARecordWhoseEventIsStillInTheOutbox) {
    auto outbox = seed(front_, 30);
    deliver(std::span(outbox).first(5));
    RecordRetention retention({.maxPerLock = 20, .maxAgeDays = 0, .batch = 100, .pause = 10ms},
                              store_, scheduler_);
    retention.start();
    scheduler_.advance(1s);
    EXPECT_EQ(count(front_), 25);  // only the delivered five could go
    deliver(std::span(outbox).subspan(5));
    scheduler_.advance(1h);  // the next pass
    EXPECT_EQ(count(front_), 20);
}

TEST_F(RecordRetentionTest, DeletesWhatIsOlderThanTheAgeLimit) {
    deliver(seed(front_, 10, 31 * kDayMs));  // all older than 30 days
    deliver(seed(front_, 3, 29 * kDayMs));
    deliver(seed(back_, 4, 40 * kDayMs));
    RecordRetention retention({.maxPerLock = 0, .maxAgeDays = 30, .batch = 3, .pause = 10ms},
                              store_, scheduler_);
    retention.start();
    scheduler_.advance(0ms);
    EXPECT_EQ(count(front_) + count(back_), 14);  // one batch of three
    scheduler_.advance(1s);
    EXPECT_EQ(count(front_), 3);
    EXPECT_EQ(count(back_), 0);
}

}  // namespace
}  // namespace lockhub
