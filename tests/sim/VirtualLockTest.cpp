#include <gtest/gtest.h>

#include "sim/firmware/VirtualLock.h"
#include "tests/sim/SimTestSupport.h"

namespace lockhub::sim {
namespace {

namespace tuya = protocol::tuya;

// A hub and a virtual lock joined by a perfect in-memory link; `dropToLock` loses hub→lock
// packets (e.g. acks) to model a link that breaks at the wrong moment.
class InMemoryLink {
public:
    InMemoryLink(VirtualLock& lock, tuya::RandomSource& random)
        : lock_(lock), hub_(test::hubConfigFor(lock.identity()), random) {
        lock_.linkUp(now);
        hub_.start(now);
        pump();
    }

    void pump() {
        for (int round = 0; round < 10000; ++round) {
            auto fromHub = hub_.takeOutput();
            for (auto& event : fromHub.events) {
                // Plays the app, which stores each report at once and then acknowledges it.
                if (const auto* report = std::get_if<tuya::ReportReceived>(&event)) {
                    hub_.acknowledge(report->token);
                }
                events.push_back(std::move(event));
            }
            auto acks = hub_.takeOutput();
            fromHub.packets.insert(fromHub.packets.end(), acks.packets.begin(), acks.packets.end());
            bool moved = false;
            for (const auto& packet : fromHub.packets) {
                moved = true;
                if (!dropToLock) {
                    lock_.received(packet, now);
                }
            }
            const auto fromLock = lock_.takeOutput();
            for (const auto& packet : fromLock.packets) {
                moved = true;
                hub_.receive(packet, now);
            }
            if (!moved) {
                return;
            }
        }
        FAIL() << "link never went quiet";
    }

    std::vector<tuya::DpReport> reports() const {
        std::vector<tuya::DpReport> out;
        for (const auto& event : events) {
            if (const auto* report = std::get_if<tuya::ReportReceived>(&event)) {
                out.push_back(report->report);
            }
        }
        return out;
    }

    std::vector<tuya::DpReport> records() const {
        auto out = reports();
        std::erase_if(out, [](const tuya::DpReport& r) { return !r.time; });
        return out;
    }

    template <typename T>
    std::size_t count() const {
        return static_cast<std::size_t>(
            std::count_if(events.begin(), events.end(),
                          [](const auto& e) { return std::holds_alternative<T>(e); }));
    }

    tuya::HubSession& hub() { return hub_; }

    Now now{std::chrono::steady_clock::time_point(std::chrono::seconds(1000)),
            std::chrono::system_clock::time_point(std::chrono::seconds(1700000000))};
    std::vector<tuya::HubEvent> events;
    bool dropToLock = false;

private:
    VirtualLock& lock_;
    tuya::HubSession hub_;
};

class VirtualLockTest : public ::testing::TestWithParam<tuya::ProtocolVersion> {
protected:
    VirtualLockTest() : VirtualLockTest(identity()) {}
    explicit VirtualLockTest(SimLockIdentity id) : lock(std::move(id), random) {}

    static SimLockIdentity identity() {
        auto id = generateIdentity(42, 0);
        id.protocol = GetParam();
        return id;
    }

    Now now{std::chrono::steady_clock::time_point(std::chrono::seconds(1000)),
            std::chrono::system_clock::time_point(std::chrono::seconds(1700000000))};
    std::vector<std::uint64_t> ackedIds() const {
        std::vector<std::uint64_t> ids;
        for (const auto& record : lock.ackedRecords()) {
            ids.push_back(record.id);
        }
        return ids;
    }

    test::CountingRandom random;
    test::CountingRandom hubRandom{100};
    VirtualLock lock;
};

TEST_P(VirtualLockTest, HandshakeSetsTheRtcFromTheHubsTimeAnswer) {
    lock.setSkew(-5000);
    InMemoryLink link(lock, hubRandom);
    EXPECT_EQ(link.count<tuya::HandshakeDone>(), 1u);
    EXPECT_EQ(link.count<tuya::TimeAnswered>(), 1u);
    EXPECT_EQ(link.hub().state(), tuya::HubState::Ready);
    EXPECT_TRUE(lock.paired());
    EXPECT_EQ(lock.lockTime(now.utc), 1700000000);
}

TEST_P(VirtualLockTest, BleUnlockWriteIsAnsweredAndItsRecordAckedAndForgotten) {
    InMemoryLink link(lock, hubRandom);
    const std::vector<Dp> write{Dp::raw(dp::kBleUnlock, {1, 4})};
    ASSERT_TRUE(link.hub().writeDps(write, link.now));
    link.pump();
    ASSERT_EQ(link.count<tuya::CommandDone>(), 1u);
    const auto reports = link.reports();
    ASSERT_EQ(reports.size(), 3u);  // motor state, DP 6 result, DP 19 record
    EXPECT_EQ(reports[0].dps, std::vector<Dp>{Dp::boolean(dp::kMotorState, false)});
    EXPECT_EQ(reports[0].command, tuya::reportCommand(GetParam(), false));
    EXPECT_EQ(reports[1].dps, std::vector<Dp>{Dp::raw(dp::kBleUnlock, {1, 4})});
    EXPECT_EQ(reports[2].dps, std::vector<Dp>{Dp::integer(dp::kRecordBle, 4)});
    EXPECT_EQ(reports[2].command, tuya::reportCommand(GetParam(), true));
    ASSERT_TRUE(reports[2].time);
    EXPECT_EQ(reports[2].time->unixMs, 1700000000000);
    EXPECT_TRUE(lock.pendingRecords().empty());
}

TEST_P(VirtualLockTest, OfflineLockKeepsTwentyRecordsAndReplaysThemInOrder) {
    for (int i = 0; i < 25; ++i) {
        Now at = now;
        at.utc += std::chrono::seconds(i);
        lock.act(
            at, [](LockFirmware& fw, std::int64_t t, FirmwareOutput& out) { fw.doorbell(t, out); });
    }
    ASSERT_EQ(lock.pendingRecords().size(), 20u);
    EXPECT_EQ(lock.droppedRecords(), 5u);
    EXPECT_EQ(lock.pendingRecords().front().id, 6u);

    InMemoryLink link(lock, hubRandom);
    const auto reports = link.reports();
    ASSERT_EQ(reports.size(), 20u);
    for (std::size_t i = 0; i < reports.size(); ++i) {
        EXPECT_EQ(reports[i].dps, std::vector<Dp>{Dp::boolean(dp::kDoorbell, true)});
        ASSERT_TRUE(reports[i].time);
        EXPECT_EQ(reports[i].time->unixMs, (1700000000 + 5 + static_cast<std::int64_t>(i)) * 1000);
    }
    EXPECT_TRUE(lock.pendingRecords().empty());
}

TEST_P(VirtualLockTest, RecordWhoseAckWasLostIsReplayedOnTheNextConnection) {
    lock.act(now,
             [](LockFirmware& fw, std::int64_t t, FirmwareOutput& out) { fw.card(2, t, out); });
    lock.act(now,
             [](LockFirmware& fw, std::int64_t t, FirmwareOutput& out) { fw.card(3, t, out); });
    {
        InMemoryLink link(lock, hubRandom);
        // Handshake done and both records delivered; the next record arrives but its ack is lost.
        link.dropToLock = true;
        lock.act(now, [](LockFirmware& fw, std::int64_t t, FirmwareOutput& out) {
            fw.doorbell(t, out);
        });
        link.pump();
        lock.linkDown();
        const auto reports = link.records();
        ASSERT_EQ(reports.size(), 3u);
        EXPECT_EQ(reports[2].dps, std::vector<Dp>{Dp::boolean(dp::kDoorbell, true)});
    }
    ASSERT_EQ(lock.pendingRecords().size(), 1u);
    // The hub has the doorbell, but the lock never heard its ack: not in the acked history.
    EXPECT_EQ(ackedIds(), (std::vector<std::uint64_t>{1, 2}));
    test::CountingRandom second{200};
    InMemoryLink link(lock, second);
    const auto reports = link.records();
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_EQ(reports[0].dps, std::vector<Dp>{Dp::boolean(dp::kDoorbell, true)});
    EXPECT_TRUE(lock.pendingRecords().empty());
    EXPECT_EQ(ackedIds(), (std::vector<std::uint64_t>{1, 2, 3}));
    EXPECT_EQ(lock.abandonedReports(), 0u);
}

TEST_P(VirtualLockTest, AckedHistoryHoldsEachAcknowledgedRecordOnceInAckOrder) {
    lock.act(now,
             [](LockFirmware& fw, std::int64_t t, FirmwareOutput& out) { fw.card(7, t, out); });
    InMemoryLink link(lock, hubRandom);
    Now later = now;
    later.utc += std::chrono::seconds(30);
    lock.act(later, [](LockFirmware& fw, std::int64_t t, FirmwareOutput& out) {
        fw.fingerprint(9, t, out);
    });
    link.pump();
    // The replayed card record, then the fingerprint's motor status and its record: the status
    // report is acked as well, but it is no record and stays out of the history.
    EXPECT_EQ(link.reports().size(), 3u);
    const auto& acked = lock.ackedRecords();
    ASSERT_EQ(acked.size(), 2u);
    EXPECT_EQ(acked[0].id, 1u);
    EXPECT_EQ(acked[0].dps, std::vector<Dp>{Dp::integer(dp::kRecordCard, 7)});
    EXPECT_EQ(acked[0].lockTime, 1700000000);
    EXPECT_EQ(acked[1].id, 2u);
    EXPECT_EQ(acked[1].dps, std::vector<Dp>{Dp::integer(dp::kRecordFingerprint, 9)});
    EXPECT_EQ(acked[1].lockTime, 1700000030);
}

TEST_P(VirtualLockTest, AbandonedReportIsCountedAndItsRecordStaysQueued) {
    InMemoryLink link(lock, hubRandom);
    link.dropToLock = true;  // the hub's acks never arrive
    lock.act(now,
             [](LockFirmware& fw, std::int64_t t, FirmwareOutput& out) { fw.doorbell(t, out); });
    link.pump();
    for (int retry = 1; retry <= 3; ++retry) {
        Now at = now;
        at.mono += std::chrono::seconds(6 * retry);
        lock.poll(at);
        link.pump();
    }
    EXPECT_EQ(link.records().size(), 1u);  // three sends; the hub surfaces a resend once
    EXPECT_EQ(lock.abandonedReports(), 1u);
    EXPECT_TRUE(lock.ackedRecords().empty());
    ASSERT_EQ(lock.pendingRecords().size(), 1u);
    EXPECT_FALSE(lock.pendingRecords().front().inFlight);
}

TEST_P(VirtualLockTest, BurstRecordsReachTheHubAtTheirOwnSecondsAndAreAcked) {
    InMemoryLink link(lock, hubRandom);
    const auto queued = lock.burst(3, now);
    link.pump();
    ASSERT_EQ(queued.size(), 3u);
    const auto records = link.records();
    ASSERT_EQ(records.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        const auto second = 1700000000 - 2 + static_cast<std::int64_t>(i);
        EXPECT_EQ(queued[i].lockTime, second);
        EXPECT_EQ(records[i].dps, queued[i].dps);
        ASSERT_TRUE(records[i].time);
        EXPECT_EQ(records[i].time->unixMs, second * 1000);
        EXPECT_EQ(lock.ackedRecords()[i].id, queued[i].id);
    }
    EXPECT_EQ(queued[0].id, 1u);
    EXPECT_TRUE(lock.pendingRecords().empty());
}

TEST_P(VirtualLockTest, StatusQueryReReportsBatteryAndMotor) {
    InMemoryLink link(lock, hubRandom);
    ASSERT_TRUE(link.hub().queryStatus(link.now));
    link.pump();
    const auto reports = link.reports();
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_EQ(reports[0].dps, (std::vector<Dp>{Dp::integer(dp::kBatteryPercent, 100),
                                               Dp::enumeration(dp::kBatteryState, 0),
                                               Dp::boolean(dp::kMotorState, true)}));
}

TEST_P(VirtualLockTest, UnbindClearsTheBoundFlagUntilTheNextPair) {
    {
        InMemoryLink link(lock, hubRandom);
        ASSERT_TRUE(link.hub().unbind(link.now));
        link.pump();
        EXPECT_EQ(link.count<tuya::CommandDone>(), 1u);
    }
    EXPECT_FALSE(lock.bound());
    lock.linkDown();
    test::CountingRandom second{50};
    InMemoryLink link(lock, second);
    EXPECT_EQ(link.count<tuya::HandshakeDone>(), 1u);
    EXPECT_TRUE(lock.bound());
}

TEST_P(VirtualLockTest, AsksForAConnectionWhileRecordsWaitUntilAHubDrainsThem) {
    EXPECT_FALSE(lock.wantsConnection());
    lock.act(now, [](LockFirmware& fw, std::int64_t t, FirmwareOutput& out) {
        fw.alarm(Alarm::Pry, t, out);
    });
    EXPECT_TRUE(lock.wantsConnection());
    InMemoryLink link(lock, hubRandom);
    EXPECT_EQ(link.records().size(), 1u);
    EXPECT_FALSE(lock.wantsConnection());
}

TEST_P(VirtualLockTest, MainsLockKeepsItsIdleLinkAndEveryRecordWhilePaired) {
    InMemoryLink link(lock, hubRandom);
    link.dropToLock = true;  // acks lost: records pile up
    for (int i = 0; i < 25; ++i) {
        lock.act(now, [](LockFirmware& fw, std::int64_t t, FirmwareOutput& out) {
            fw.doorbell(t, out);
        });
    }
    EXPECT_EQ(lock.pendingRecords().size(), 25u);
    EXPECT_EQ(lock.nextDeadline(), now.mono + std::chrono::seconds(6));  // only the retry
    Now later = now;
    later.mono += std::chrono::hours(1);
    lock.poll(later);
    EXPECT_FALSE(lock.takeOutput().disconnect);
}

class BatteryLockTest : public VirtualLockTest {
protected:
    static SimLockIdentity battery() {
        auto id = identity();
        id.power.source = PowerSource::Battery;
        id.power.idleTimeout = std::chrono::milliseconds(3000);
        return id;
    }
    BatteryLockTest() : VirtualLockTest(battery()) {}
};

TEST_P(BatteryLockTest, DropsTheLinkAfterItsIdleTimeoutWithoutTraffic) {
    InMemoryLink link(lock, hubRandom);
    ASSERT_TRUE(lock.paired());
    // The handshake's last packet went at `now`; the idle deadline follows it.
    EXPECT_EQ(lock.nextDeadline(), now.mono + std::chrono::milliseconds(3000));
    Now early = now;
    early.mono += std::chrono::milliseconds(2999);
    lock.poll(early);
    EXPECT_FALSE(lock.takeOutput().disconnect);
    Now due = now;
    due.mono += std::chrono::milliseconds(3000);
    lock.poll(due);
    EXPECT_TRUE(lock.takeOutput().disconnect);
    EXPECT_FALSE(lock.nextDeadline());  // closing: no second request
}

TEST_P(BatteryLockTest, TrafficPostponesTheIdleDisconnect) {
    InMemoryLink link(lock, hubRandom);
    link.now.mono += std::chrono::milliseconds(2000);
    ASSERT_TRUE(link.hub().queryStatus(link.now));
    link.pump();
    EXPECT_EQ(lock.nextDeadline(), link.now.mono + std::chrono::milliseconds(3000));
}

TEST_P(BatteryLockTest, KeepsAtMostTwentyRecordsEvenWhilePaired) {
    InMemoryLink link(lock, hubRandom);
    link.dropToLock = true;
    for (int i = 0; i < 25; ++i) {
        lock.act(now, [](LockFirmware& fw, std::int64_t t, FirmwareOutput& out) {
            fw.doorbell(t, out);
        });
    }
    ASSERT_EQ(lock.pendingRecords().size(), 20u);
    EXPECT_EQ(lock.droppedRecords(), 5u);
    // The record on the air stays; the oldest of the others went.
    EXPECT_EQ(lock.pendingRecords()[0].id, 1u);
    EXPECT_TRUE(lock.pendingRecords()[0].inFlight);
    EXPECT_EQ(lock.pendingRecords()[1].id, 7u);
}

std::string personality(const ::testing::TestParamInfo<tuya::ProtocolVersion>& param) {
    return param.param == tuya::ProtocolVersion::V3 ? "v3" : "v4";
}

INSTANTIATE_TEST_SUITE_P(BothPersonalities, VirtualLockTest,
                         ::testing::Values(tuya::ProtocolVersion::V3, tuya::ProtocolVersion::V4),
                         personality);
INSTANTIATE_TEST_SUITE_P(BothPersonalities, BatteryLockTest,
                         ::testing::Values(tuya::ProtocolVersion::V3, tuya::ProtocolVersion::V4),
                         personality);

}  // namespace
}  // namespace lockhub::sim
