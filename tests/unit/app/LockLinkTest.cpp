// LockLink against locks that run the real lock side of the Tuya protocol in memory.
#include <gtest/gtest.h>

#include "app/ConnectionSlots.h"
#include "app/LockLink.h"
#include "tests/fakes/FakeLockRadio.h"
#include "tests/fakes/ManualScheduler.h"
#include "tests/unit/app/LinkIdentities.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using fakes::FakeLockRadio;
using fakes::ManualScheduler;
using protocol::tuya::Dp;

using test::hubSide;
using test::lockSide;
constexpr const char* kMac = test::kLinkMac;

class LockLinkTest : public ::testing::Test {
protected:
    void SetUp() override {
        radio_.setHandlers({
            .advertisement = nullptr,
            .notification = [this](const std::string&,
                                   const ports::Bytes& packet) { link_->onNotification(packet); },
            .linkLost = [this](const std::string&,
                               const std::string& reason) { link_->onLinkLost(reason); },
            .adapterAvailable = nullptr,
        });
        radio_.addLock(kMac, lockSide());
    }

    void makeLink(LinkPolicy policy, LockIdentity identity = hubSide()) {
        LockLink::Events events;
        events.availability = [this](bool online) { availability_.push_back(online); };
        events.report = [this](const ReportHandle& handle, const protocol::tuya::DpReport& report) {
            reports_.push_back(report);
            handles_.push_back(handle);
            if (acknowledge_) {
                link_->acknowledge(handle);
            }
        };
        events.ready = [this] { ++ready_; };
        events.handshakeFailed = [this](const std::string& reason) {
            handshakeFailures_.push_back(reason);
        };
        link_ = std::make_unique<LockLink>(std::move(identity), policy, radio_, scheduler_, random_,
                                           slots_, std::move(events));
        link_->start();
    }

    // A BLE unlock (DP 6) with a 30 s deadline; its results land in results_.
    void unlock() {
        link_->submit({Dp::boolean(6, true)}, 30s,
                      [this](const CommandResult& r) { results_.push_back(r); });
    }

    static LinkPolicy always() {
        LinkPolicy policy;
        policy.mode = LinkPolicy::Mode::Always;
        return policy;
    }

    ManualScheduler scheduler_;
    FakeLockRadio radio_{scheduler_};
    fakes::CountingRandom random_;
    ConnectionSlots slots_{5};
    std::unique_ptr<LockLink> link_;
    std::vector<bool> availability_;
    std::vector<CommandResult> results_;
    std::vector<protocol::tuya::DpReport> reports_;
    std::vector<ReportHandle> handles_;
    bool acknowledge_ = true;  // plays the app, which acknowledges once it stored the records
    std::vector<std::string> handshakeFailures_;
    int ready_ = 0;
};

TEST_F(LockLinkTest, AlwaysConnectsHandshakesAndQueriesTheStatus) {
    makeLink(always());
    scheduler_.advance(10ms);
    EXPECT_EQ(link_->state(), LinkState::Ready);
    EXPECT_EQ(ready_, 1);
    EXPECT_EQ(availability_, std::vector<bool>{true});
    EXPECT_EQ(radio_.lock(kMac).statusQueries, 1);
}

TEST_F(LockLinkTest, ACommandEndsOkWhenTheLockAcceptsTheWrite) {
    makeLink(always());
    scheduler_.advance(10ms);
    unlock();
    scheduler_.advance(10ms);
    ASSERT_EQ(results_.size(), 1u);
    EXPECT_EQ(results_[0].outcome, CommandResult::Outcome::Ok);
    ASSERT_EQ(radio_.lock(kMac).writes.size(), 1u);
    EXPECT_EQ(radio_.lock(kMac).writes[0], std::vector<Dp>{Dp::boolean(6, true)});
}

TEST_F(LockLinkTest, ACommandTheLockRefusesIsRejectedWithTheStatus) {
    radio_.lock(kMac).writeStatus = 1;
    makeLink(always());
    scheduler_.advance(10ms);
    unlock();
    scheduler_.advance(10ms);
    ASSERT_EQ(results_.size(), 1u);
    EXPECT_EQ(results_[0].outcome, CommandResult::Outcome::Rejected);
    EXPECT_EQ(results_[0].reason, "the lock refused the command (status 1)");
}

TEST_F(LockLinkTest, OnDemandConnectsForACommandAndDisconnectsWhenIdle) {
    makeLink(LinkPolicy{});
    scheduler_.advance(1s);
    EXPECT_EQ(radio_.connectAttempts, 0) << "on_demand must not connect without a reason";
    unlock();
    scheduler_.advance(100ms);
    ASSERT_EQ(results_.size(), 1u);
    EXPECT_EQ(results_[0].outcome, CommandResult::Outcome::Ok);
    EXPECT_TRUE(radio_.lock(kMac).connected);
    scheduler_.advance(6s);  // linger is 5 s
    EXPECT_FALSE(radio_.lock(kMac).connected);
    EXPECT_EQ(link_->state(), LinkState::Idle);
}

// On demand, so offline comes with the availability timeout, not with the failed attempts.
TEST_F(LockLinkTest, AnOutOfRangeLockGoesOfflineAndTheCommandTimesOutOnce) {
    radio_.lock(kMac).inRange = false;
    LinkPolicy policy;
    policy.availabilityTimeout = 60s;
    makeLink(policy);
    unlock();
    scheduler_.advance(31s);
    ASSERT_EQ(results_.size(), 1u);
    EXPECT_EQ(results_[0].outcome, CommandResult::Outcome::Timeout);
    EXPECT_EQ(results_[0].reason, "no connection to the lock within 30 s");
    EXPECT_TRUE(availability_.empty());
    scheduler_.advance(30s);
    EXPECT_EQ(availability_, std::vector<bool>{false});
    scheduler_.advance(120s);
    EXPECT_EQ(results_.size(), 1u) << "exactly one result per command";
}

TEST_F(LockLinkTest, AnAlwaysLinkThatCannotConnectIsOfflineAtOnce) {
    radio_.lock(kMac).inRange = false;
    makeLink(always());
    scheduler_.advance(16s);  // the first attempt's connect timeout
    EXPECT_EQ(availability_, std::vector<bool>{false});
}

TEST_F(LockLinkTest, ReconnectsWithBackoffWhenTheLockComesBack) {
    makeLink(always());
    scheduler_.advance(10ms);
    radio_.dropLink(kMac);
    EXPECT_EQ(link_->state(), LinkState::Backoff);
    scheduler_.advance(20s);
    EXPECT_EQ(availability_, (std::vector<bool>{true, false}));
    const int attemptsWhileAway = radio_.connectAttempts;
    radio_.lock(kMac).inRange = true;
    scheduler_.advance(60s);
    EXPECT_EQ(link_->state(), LinkState::Ready);
    EXPECT_EQ(availability_, (std::vector<bool>{true, false, true}));
    EXPECT_GT(radio_.connectAttempts, attemptsWhileAway);
}

TEST_F(LockLinkTest, ReportsArriveOnceAndAreAcknowledged) {
    makeLink(always());
    scheduler_.advance(10ms);
    const auto id = radio_.report(kMac, {Dp::integer(8, 87)});
    scheduler_.advance(20s);  // past every retransmission interval
    ASSERT_EQ(reports_.size(), 1u);
    EXPECT_EQ(reports_[0].dps, std::vector<Dp>{Dp::integer(8, 87)});
    EXPECT_TRUE(radio_.lock(kMac).session->isAcknowledged(id));
}

TEST_F(LockLinkTest, AReportIsAcknowledgedOnlyWhenTheAppSaysSo) {
    makeLink(always());
    scheduler_.advance(10ms);
    acknowledge_ = false;
    const auto id = radio_.report(kMac, {Dp::integer(8, 87)});
    scheduler_.advance(1s);
    ASSERT_EQ(handles_.size(), 1u);
    EXPECT_FALSE(radio_.lock(kMac).session->isAcknowledged(id));
    link_->acknowledge(handles_[0]);
    scheduler_.settle();
    EXPECT_TRUE(radio_.lock(kMac).session->isAcknowledged(id));
}

TEST_F(LockLinkTest, AHandleOfAnEarlierConnectionAcknowledgesNothing) {
    makeLink(always());
    scheduler_.advance(10ms);
    acknowledge_ = false;
    radio_.report(kMac, {Dp::integer(8, 87)});
    scheduler_.advance(1s);
    ASSERT_EQ(handles_.size(), 1u);
    const ReportHandle stale = handles_[0];
    radio_.dropLink(kMac);
    radio_.lock(kMac).inRange = true;
    scheduler_.advance(60s);
    ASSERT_EQ(link_->state(), LinkState::Ready);
    const auto id = radio_.report(kMac, {Dp::integer(8, 86)});
    scheduler_.advance(10ms);
    link_->acknowledge(stale);  // same token number, earlier connection
    scheduler_.settle();
    EXPECT_FALSE(radio_.lock(kMac).session->isAcknowledged(id));
}

TEST_F(LockLinkTest, AWrongKeyIsAHandshakeFailureNotAnOutage) {
    LinkPolicy policy = always();
    policy.handshakeTimeout = 2s;
    makeLink(policy, hubSide(kMac, "zzzzzz"));
    scheduler_.advance(3s);
    ASSERT_FALSE(handshakeFailures_.empty());
    EXPECT_EQ(handshakeFailures_[0], "handshake_timeout");
    EXPECT_EQ(ready_, 0);
}

TEST_F(LockLinkTest, ConnectionSlotsAreGrantedInTurn) {
    ConnectionSlots one(1);
    radio_.addLock("DC:23:4D:00:00:02", lockSide());
    auto policy = LinkPolicy{};
    LockLink first(hubSide(), policy, radio_, scheduler_, random_, one, {});
    auto secondIdentity = hubSide();
    secondIdentity.mac = "DC:23:4D:00:00:02";
    LockLink second(secondIdentity, policy, radio_, scheduler_, random_, one, {});
    radio_.setHandlers({});
    first.start();
    second.start();
    first.wake();
    second.wake();
    EXPECT_EQ(first.state(), LinkState::Connecting);
    EXPECT_EQ(second.state(), LinkState::Waiting);
    first.stop("test");
    EXPECT_EQ(second.state(), LinkState::Connecting);
}

TEST_F(LockLinkTest, ClosedSlotsGrantNothingWhileTheLinksAreDestroyed) {
    ConnectionSlots one(1);
    radio_.addLock("DC:23:4D:00:00:02", lockSide());
    auto secondIdentity = hubSide();
    secondIdentity.mac = "DC:23:4D:00:00:02";
    LockLink second(secondIdentity, LinkPolicy{}, radio_, scheduler_, random_, one, {});
    auto first = std::make_unique<LockLink>(hubSide(), LinkPolicy{}, radio_, scheduler_, random_,
                                            one, LockLink::Events{});
    radio_.setHandlers({});
    first->start();
    second.start();
    first->wake();
    second.wake();
    ASSERT_EQ(second.state(), LinkState::Waiting);
    // As the registry's destructor does before its links go.
    one.close();
    const auto attempts = radio_.connectAttempts;
    first.reset();
    EXPECT_EQ(second.state(), LinkState::Waiting);
    EXPECT_EQ(radio_.connectAttempts, attempts);
}

}  // namespace
}  // namespace lockhub
