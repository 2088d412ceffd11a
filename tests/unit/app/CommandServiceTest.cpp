// CommandService: every `<lock>/set` ends in exactly one result, tied to the command that caused
// it, delivered through the outbox; repeated transactions never run twice.
#include <gtest/gtest.h>

#include "app/CommandService.h"
#include "tests/unit/app/ServiceHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using protocol::tuya::Dp;
using test::kFrontMac;

constexpr const char* kCommandResult = "lockhub/front/set/result";

class CommandServiceTest : public ::testing::Test {
protected:
    CommandServiceTest() : hub_(LinkPolicy::Mode::Always, 5s) {}
    void SetUp() override { hub_.startWithLock(); }

    void set(const std::string& payload) { hub_.broker.deliver("lockhub/front/set", payload); }
    // The lock's firmware answers the BLE unlock (DP 6: result, member).
    void lockAnswers(std::uint8_t result) {
        hub_.radio.report(kFrontMac, {Dp::raw(6, {result, 0})});
        hub_.scheduler.settle();
    }
    std::vector<nlohmann::json> results() {
        std::vector<nlohmann::json> out;
        for (const auto& payload : hub_.broker.payloadsOn(kCommandResult)) {
            out.push_back(nlohmann::json::parse(payload));
        }
        return out;
    }
    std::size_t writes() { return hub_.radio.lock(kFrontMac).writes.size(); }

    test::ServiceHarness hub_;
};

TEST_F(CommandServiceTest, AnUnlockTheLockConfirmsIsOkAndTheResultWentThroughTheOutbox) {
    hub_.broker.autoAcknowledge = false;
    set(R"({"state": "UNLOCK", "transaction": "t1"})");
    hub_.scheduler.settle();
    ASSERT_EQ(writes(), 1u);
    EXPECT_TRUE(results().empty());  // the write is accepted; the outcome is the lock's reply
    lockAnswers(1);
    ASSERT_EQ(results().size(), 1u);
    EXPECT_EQ(results()[0],
              (nlohmann::json{{"state", "UNLOCK"}, {"result", "ok"}, {"transaction", "t1"}}));
    EXPECT_EQ(hub_.store.pendingOutbox(10).value().size(), 1u);  // kept until the PUBACK
    hub_.broker.complete();
    hub_.scheduler.advance(OutboxPumpOptions{}.removeWithin);  // no commit to ride on
    EXPECT_TRUE(hub_.store.pendingOutbox(10).value().empty());
}

TEST_F(CommandServiceTest, TheLocksRefusalIsRejectedWithItsReason) {
    set("UNLOCK");
    hub_.scheduler.settle();
    lockAnswers(0);
    ASSERT_EQ(results().size(), 1u);
    EXPECT_EQ(results()[0]["result"], "rejected");
    EXPECT_EQ(results()[0]["reason"], "the lock answered failed");
}

TEST_F(CommandServiceTest, AReplyAfterItsCommandTimedOutIsDroppedNotCreditedToTheNext) {
    set(R"({"state": "UNLOCK", "transaction": "first"})");
    hub_.scheduler.advance(6s);  // no reply within the 5 s timeout
    ASSERT_EQ(results().size(), 1u);
    EXPECT_EQ(results()[0]["result"], "timeout");
    EXPECT_EQ(results()[0]["reason"],
              "the lock accepted the command but did not report its outcome");

    lockAnswers(1);  // the first command's late reply
    set(R"({"state": "UNLOCK", "transaction": "second"})");
    hub_.scheduler.settle();
    EXPECT_EQ(results().size(), 1u);  // the late reply was not kept for the next command
    lockAnswers(1);
    ASSERT_EQ(results().size(), 2u);
    EXPECT_EQ(results()[1]["transaction"], "second");
    EXPECT_EQ(results()[1]["result"], "ok");
}

TEST_F(CommandServiceTest, AReplyBeforeTheWriteWasAcceptedBelongsToNoCommand) {
    lockAnswers(1);  // nothing is waiting
    EXPECT_TRUE(results().empty());
    set("UNLOCK");
    hub_.scheduler.settle();
    EXPECT_TRUE(results().empty());
    lockAnswers(1);
    ASSERT_EQ(results().size(), 1u);
    EXPECT_EQ(results()[0]["result"], "ok");
}

TEST_F(CommandServiceTest, CommandsRunOneAtATimeEachWithItsOwnResult) {
    set(R"({"state": "UNLOCK", "transaction": 1})");
    set(R"({"state": "LOCK", "transaction": 2})");
    hub_.scheduler.settle();
    EXPECT_EQ(writes(), 1u);  // the lock command waits for the unlock's outcome
    lockAnswers(1);
    hub_.scheduler.settle();
    EXPECT_EQ(writes(), 2u);  // DP 46: its write acknowledgement is its result
    const auto all = results();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0]["transaction"], 1);
    EXPECT_EQ(all[0]["result"], "ok");
    EXPECT_EQ(all[1]["transaction"], 2);
    EXPECT_EQ(all[1]["state"], "LOCK");
    EXPECT_EQ(all[1]["result"], "ok");
}

TEST_F(CommandServiceTest, ARepeatedTransactionGetsTheFirstResultAndNeverRunsTwice) {
    set(R"({"state": "UNLOCK", "transaction": "again"})");
    set(R"({"state": "UNLOCK", "transaction": "again"})");  // while the first still runs
    hub_.scheduler.settle();
    lockAnswers(1);
    set(R"({"state": "UNLOCK", "transaction": "again"})");  // after it ended
    hub_.scheduler.settle();
    EXPECT_EQ(writes(), 1u);
    const auto all = results();
    ASSERT_EQ(all.size(), 3u);
    for (const auto& result : all) {
        EXPECT_EQ(result, all[0]);
        EXPECT_EQ(result["result"], "ok");
    }
    hub_.scheduler.advance(61s);
    set(R"({"state": "UNLOCK", "transaction": "again"})");  // a minute later it is new
    hub_.scheduler.settle();
    EXPECT_EQ(writes(), 2u);
}

TEST_F(CommandServiceTest, RemovingTheLockEndsItsPendingCommandsAsFailed) {
    set(R"({"state": "UNLOCK", "transaction": "a"})");
    set(R"({"state": "LOCK", "transaction": "b"})");
    hub_.scheduler.settle();
    hub_.broker.deliver("lockhub/bridge/request/lock/remove", R"({"lock": "front"})");
    hub_.scheduler.settle();
    const auto all = results();
    ASSERT_EQ(all.size(), 2u);
    for (const auto& result : all) {
        EXPECT_EQ(result["result"], "failed");
        EXPECT_EQ(result["reason"], "lock removed");
    }
    hub_.scheduler.advance(10s);
    EXPECT_EQ(results().size(), 2u);  // exactly one result each
}

TEST_F(CommandServiceTest, BadPayloadsAndUnknownLocksAreRejectedWithAReason) {
    set(R"({"state": "OPEN"})");
    hub_.broker.deliver("lockhub/garage/set", R"({"state": "UNLOCK", "transaction": 9})");
    hub_.scheduler.settle();
    ASSERT_EQ(results().size(), 1u);
    EXPECT_EQ(results()[0]["result"], "rejected");
    EXPECT_NE(results()[0]["reason"].get<std::string>().find("/state"), std::string::npos)
        << results()[0]["reason"];
    const auto garage = hub_.lastJson("lockhub/garage/set/result");
    EXPECT_EQ(garage, (nlohmann::json{{"state", "UNLOCK"},
                                      {"result", "rejected"},
                                      {"reason", "no paired lock is called \"garage\""},
                                      {"transaction", 9}}));
}

}  // namespace
}  // namespace lockhub
