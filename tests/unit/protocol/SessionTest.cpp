// HubSession <-> LockSession through a faulty in-memory pipe.
#include <gtest/gtest.h>

#include "SessionPair.h"

namespace lockhub::protocol::tuya {
namespace {

using std::chrono::seconds;
using test::SessionPair;

class SessionBothVersions : public ::testing::TestWithParam<ProtocolVersion> {};

INSTANTIATE_TEST_SUITE_P(Versions, SessionBothVersions,
                         ::testing::Values(ProtocolVersion::V3, ProtocolVersion::V4));

std::int64_t utcMs(const SessionPair& pair) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(pair.now().utc.time_since_epoch())
        .count();
}

TEST_P(SessionBothVersions, HandshakeCompletesThroughInterleavingRepeatingPipe) {
    SessionPair pair(GetParam());
    pair.faults.interleave = true;
    pair.faults.repeatEvery = 3;
    pair.handshake();

    EXPECT_EQ(pair.hub().state(), HubState::Ready);
    EXPECT_TRUE(pair.lock().paired());
    const auto done = pair.hubEventsOf<HandshakeDone>();
    ASSERT_EQ(done.size(), 1U);
    EXPECT_EQ(done[0].pairResult, PairResult::AlreadyBound);
    EXPECT_EQ(done[0].device.protocolMajor, static_cast<std::uint8_t>(GetParam()));
    EXPECT_EQ(done[0].device.firmwareVersion, (std::array<std::uint8_t, 2>{1, 5}));

    const auto paired = pair.lockEventsOf<LockPaired>();
    ASSERT_EQ(paired.size(), 1U);
    EXPECT_FALSE(paired[0].newlyBound);
    EXPECT_EQ(paired[0].deviceId, test::kDeviceId);

    // The lock asks for the time right after pairing; the hub answers in UTC by itself.
    const auto answered = pair.hubEventsOf<TimeAnswered>();
    ASSERT_EQ(answered.size(), 1U);
    EXPECT_EQ(answered[0].request, Command::TimeRequestMs);
    const auto received = pair.lockEventsOf<TimeReceived>();
    ASSERT_EQ(received.size(), 1U);
    EXPECT_EQ(received[0].answer, (TimeAnswer{utcMs(pair), 0}));
    EXPECT_TRUE(pair.hubEventsOf<FrameDropped>().empty());
    EXPECT_TRUE(pair.lockEventsOf<FrameDropped>().empty());
    EXPECT_FALSE(pair.hubDisconnect || pair.lockDisconnect);
}

TEST(Session, UnboundLockBindsOnPair) {
    SessionPair pair(ProtocolVersion::V3, false);
    pair.handshake();
    ASSERT_EQ(pair.hubEventsOf<HandshakeDone>().size(), 1U);
    EXPECT_EQ(pair.hubEventsOf<HandshakeDone>()[0].pairResult, PairResult::Paired);
    EXPECT_FALSE(pair.hubEventsOf<HandshakeDone>()[0].device.bound);
    ASSERT_EQ(pair.lockEventsOf<LockPaired>().size(), 1U);
    EXPECT_TRUE(pair.lockEventsOf<LockPaired>()[0].newlyBound);
    EXPECT_TRUE(pair.lock().bound());
}

TEST_P(SessionBothVersions, DpWritesAndReportsRoundTrip) {
    SessionPair pair(GetParam());
    pair.faults.interleave = true;
    pair.handshake();

    const std::vector<Dp> dps{Dp::boolean(47, true), Dp::integer(8, 87)};
    const auto id = pair.hub().writeDps(dps, pair.now());
    ASSERT_TRUE(id.has_value());
    pair.pump();
    const auto writes = pair.lockEventsOf<DpWriteReceived>();
    ASSERT_EQ(writes.size(), 1U);
    EXPECT_EQ(writes[0].id, *id);
    EXPECT_EQ(writes[0].dps, dps);
    const auto done = pair.hubEventsOf<CommandDone>();
    ASSERT_EQ(done.size(), 1U);
    const Command write =
        GetParam() == ProtocolVersion::V3 ? Command::DpWriteV3 : Command::DpWriteV4;
    EXPECT_EQ(done[0].id, *id);
    EXPECT_EQ(done[0].command, write);
    EXPECT_EQ(done[0].status, 0);

    const ReportTime at{ReportTime::Format::Seconds, 1700000000000};
    const auto state = pair.lock().report({Dp::integer(12, 3)}, std::nullopt, pair.mono());
    const auto record = pair.lock().report({Dp::integer(19, 1)}, at, pair.mono());
    ASSERT_TRUE(state && record);
    pair.pump();
    const auto reports = pair.hubEventsOf<ReportReceived>();
    ASSERT_EQ(reports.size(), 2U);
    EXPECT_EQ(reports[0].report.command, reportCommand(GetParam(), false));
    EXPECT_EQ(reports[0].report.dps, std::vector<Dp>{Dp::integer(12, 3)});
    EXPECT_EQ(reports[1].report.command, reportCommand(GetParam(), true));
    EXPECT_EQ(reports[1].report.time, at);
    EXPECT_TRUE(pair.lock().isAcknowledged(*state));
    EXPECT_TRUE(pair.lock().isAcknowledged(*record));
    EXPECT_EQ(pair.lockEventsOf<ReportAcked>().size(), 2U);
    EXPECT_FALSE(pair.lock().nextDeadline().has_value());
}

TEST_P(SessionBothVersions, LostAckCausesRetransmissionButOneDelivery) {
    SessionPair pair(GetParam());
    pair.handshake();
    const auto first = pair.lock().report({Dp::integer(12, 3)}, std::nullopt, pair.mono());
    const auto second = pair.lock().report({Dp::boolean(47, false)}, std::nullopt, pair.mono());
    ASSERT_TRUE(first && second);
    pair.dropHubFrames = 1;  // the ack of the first report
    pair.pump();

    ASSERT_EQ(pair.hubEventsOf<ReportReceived>().size(), 1U);
    EXPECT_EQ(pair.lock().reportState(*first), ReportState::InFlight);
    EXPECT_EQ(pair.lock().reportState(*second), ReportState::Queued);  // held back
    EXPECT_EQ(pair.lock().nextDeadline(), pair.mono() + seconds(6));

    pair.tick(seconds(5));
    EXPECT_EQ(pair.lock().reportState(*first), ReportState::InFlight);
    pair.tick(seconds(1));  // retransmission; the hub acks again without a second delivery
    EXPECT_EQ(pair.lock().reportState(*first), ReportState::Acknowledged);
    EXPECT_EQ(pair.lock().reportState(*second), ReportState::Acknowledged);

    const auto reports = pair.hubEventsOf<ReportReceived>();
    ASSERT_EQ(reports.size(), 2U);
    EXPECT_EQ(reports[0].report.dps, std::vector<Dp>{Dp::integer(12, 3)});
    EXPECT_EQ(reports[1].report.dps, std::vector<Dp>{Dp::boolean(47, false)});
}

TEST(Session, ReportIsAbandonedAfterThreeUnackedSends) {
    SessionPair pair;
    pair.handshake();
    const auto id = pair.lock().report({Dp::integer(8, 50)}, std::nullopt, pair.mono());
    const auto next = pair.lock().report({Dp::integer(8, 49)}, std::nullopt, pair.mono());
    pair.dropHubFrames = 3;  // every ack of the first report
    pair.pump();
    pair.tick(seconds(6));
    pair.tick(seconds(6));
    EXPECT_EQ(pair.lock().reportState(*id), ReportState::InFlight);
    pair.tick(seconds(6));
    EXPECT_EQ(pair.lock().reportState(*id), ReportState::Abandoned);
    EXPECT_FALSE(pair.lock().isAcknowledged(*id));
    ASSERT_EQ(pair.lockEventsOf<ReportAbandoned>().size(), 1U);
    EXPECT_EQ(pair.lockEventsOf<ReportAbandoned>()[0].id, *id);
    EXPECT_EQ(pair.lock().reportState(*next), ReportState::Acknowledged);
    EXPECT_EQ(pair.hubEventsOf<ReportReceived>().size(), 2U);
    EXPECT_EQ(pair.lock().reportState(99), ReportState::Unknown);
}

TEST(Session, ReportsQueuedBeforePairingWaitForIt) {
    SessionPair pair;
    const auto id = pair.lock().report({Dp::integer(8, 50)}, std::nullopt, pair.mono());
    pair.pump();
    EXPECT_EQ(pair.lock().reportState(*id), ReportState::Queued);
    pair.handshake();
    EXPECT_EQ(pair.lock().reportState(*id), ReportState::Acknowledged);
    EXPECT_EQ(pair.hubEventsOf<ReportReceived>().size(), 1U);
}

TEST_P(SessionBothVersions, LossyPipeNeverDeliversAReportTwice) {
    SessionPair pair(GetParam());
    pair.handshake();
    ASSERT_EQ(pair.hub().state(), HubState::Ready);
    pair.faults = {true, 4, 60};
    constexpr int kReports = 40;
    std::vector<ReportId> ids;
    for (int i = 0; i < kReports; ++i) {
        ids.push_back(*pair.lock().report({Dp::integer(8, i)}, std::nullopt, pair.mono()));
    }
    pair.pump();
    for (int round = 0; round < 400 && pair.lock().nextDeadline(); ++round) {
        pair.tick(seconds(6));
    }
    ASSERT_FALSE(pair.lock().nextDeadline().has_value());

    std::vector<std::int32_t> delivered;
    for (const auto& event : pair.hubEventsOf<ReportReceived>()) {
        delivered.push_back(std::get<std::int32_t>(event.report.dps.at(0).value));
    }
    for (std::size_t i = 1; i < delivered.size(); ++i) {
        EXPECT_LT(delivered[i - 1], delivered[i]) << "duplicate or reordered delivery";
    }
    std::size_t acked = 0;
    for (int i = 0; i < kReports; ++i) {
        if (pair.lock().isAcknowledged(ids[static_cast<std::size_t>(i)])) {
            ++acked;
            EXPECT_NE(std::find(delivered.begin(), delivered.end(), i), delivered.end());
        } else {
            EXPECT_EQ(pair.lock().reportState(ids[static_cast<std::size_t>(i)]),
                      ReportState::Abandoned);
        }
    }
    // The pipe lost packets and so caused retransmissions, yet most reports made it.
    EXPECT_GT(pair.lockEventsOf<FrameDropped>().size() + pair.hubEventsOf<FrameDropped>().size(),
              0U);
    EXPECT_GE(acked, static_cast<std::size_t>(kReports) * 3 / 4);
    EXPECT_FALSE(pair.hubDisconnect || pair.lockDisconnect);
}

TEST(Session, UnansweredCommandTimesOut) {
    SessionPair pair;
    pair.handshake();
    pair.dropHubFrames = 1;
    const auto id = pair.hub().writeDps(std::vector<Dp>{Dp::boolean(47, true)}, pair.now());
    ASSERT_TRUE(id.has_value());
    pair.pump();
    EXPECT_EQ(pair.hub().nextDeadline(), pair.mono() + seconds(20));
    pair.tick(seconds(19));
    EXPECT_TRUE(pair.hubEventsOf<CommandTimedOut>().empty());
    pair.tick(seconds(1));
    const auto timedOut = pair.hubEventsOf<CommandTimedOut>();
    ASSERT_EQ(timedOut.size(), 1U);
    EXPECT_EQ(timedOut[0].id, *id);
    EXPECT_EQ(timedOut[0].command, Command::DpWriteV3);
    EXPECT_EQ(pair.hub().state(), HubState::Ready);
    EXPECT_FALSE(pair.hub().nextDeadline().has_value());
}

TEST(Session, FirmwareAnswersLater) {
    SessionPair pair;
    pair.answerWrites = false;
    pair.handshake();
    const auto id = pair.hub().writeDps(std::vector<Dp>{Dp::boolean(47, true)}, pair.now());
    pair.pump();
    EXPECT_TRUE(pair.hubEventsOf<CommandDone>().empty());
    ASSERT_TRUE(pair.lock().answerDpWrite(*id, 1).has_value());
    EXPECT_EQ(pair.lock().answerDpWrite(*id, 1).error(), ProtocolError::UnknownRequest);
    pair.pump();
    ASSERT_EQ(pair.hubEventsOf<CommandDone>().size(), 1U);
    EXPECT_EQ(pair.hubEventsOf<CommandDone>()[0].status, 1);
}

TEST(Session, StatusQueryAndUnbind) {
    SessionPair pair;
    pair.handshake();
    const auto query = pair.hub().queryStatus(pair.now());
    pair.pump();
    ASSERT_EQ(pair.lockEventsOf<StatusQueried>().size(), 1U);
    EXPECT_TRUE(pair.lockEventsOf<StatusQueried>()[0].dpIds.empty());
    ASSERT_EQ(pair.hubEventsOf<CommandDone>().size(), 1U);
    EXPECT_EQ(pair.hubEventsOf<CommandDone>()[0].id, *query);
    EXPECT_EQ(pair.hubEventsOf<CommandDone>()[0].command, Command::StatusQuery);

    const auto unbind = pair.hub().unbind(pair.now());
    pair.pump();
    ASSERT_EQ(pair.hubEventsOf<CommandDone>().size(), 2U);
    EXPECT_EQ(pair.hubEventsOf<CommandDone>()[1].id, *unbind);
    EXPECT_EQ(pair.hubEventsOf<CommandDone>()[1].command, Command::Unbind);
    EXPECT_EQ(pair.lockEventsOf<UnbindRequested>().size(), 1U);
    EXPECT_EQ(pair.lockDisconnect, DisconnectReason::Unbound);
    EXPECT_FALSE(pair.lock().bound());
}

TEST(Session, DateTimeRequestIsAnsweredInUtcFields) {
    SessionPair pair;
    pair.handshake();
    ASSERT_TRUE(pair.lock().requestTime(Command::TimeRequestDate).has_value());
    pair.pump();
    const auto received = pair.lockEventsOf<TimeReceived>();
    ASSERT_EQ(received.size(), 2U);
    EXPECT_EQ(received[1].answer, (TimeAnswer{utcMs(pair) / 1000 * 1000, 0}));
}

TEST(Session, TheHubPushesTheTimeUnaskedAndTheLockAppliesIt) {
    SessionPair pair;
    EXPECT_EQ(pair.hub().pushTime(pair.now()).error(), ProtocolError::NotReady);
    pair.handshake();
    const auto pushed = pair.hub().pushTime(pair.now());
    ASSERT_TRUE(pushed.has_value());
    EXPECT_EQ(*pushed, (TimeAnswer{utcMs(pair), 0}));
    pair.pump();
    const auto received = pair.lockEventsOf<TimeReceived>();
    ASSERT_EQ(received.size(), 2U);  // the answer at pairing, then the push
    EXPECT_EQ(received[1].answer, (TimeAnswer{utcMs(pair), 0}));
    EXPECT_TRUE(pair.lockEventsOf<FrameDropped>().empty());
}

TEST(Session, UuidMismatchEndsBothSides) {
    auto hub = test::hubConfig(ProtocolVersion::V3);
    hub.uuid = "tuyaffffffffffff";
    SessionPair pair(hub, test::lockConfig(ProtocolVersion::V3));
    pair.handshake();
    EXPECT_EQ(pair.lockDisconnect, DisconnectReason::PairUuidMismatch);
    EXPECT_EQ(pair.hubDisconnect, DisconnectReason::PairUuidMismatch);
    EXPECT_EQ(pair.hub().state(), HubState::Closed);
    EXPECT_FALSE(pair.lock().paired());
}

TEST(Session, SilentLockTimesOutTheHandshake) {
    SessionPair pair;
    pair.dropHubFrames = 1;
    pair.handshake();
    EXPECT_EQ(pair.hub().state(), HubState::AwaitingDeviceInfo);
    EXPECT_EQ(pair.hub().writeDps(std::vector<Dp>{}, pair.now()).error(), ProtocolError::NotReady);
    EXPECT_EQ(pair.hub().queryStatus(pair.now()).error(), ProtocolError::NotReady);
    pair.tick(seconds(20));
    ASSERT_EQ(pair.hubEventsOf<CommandTimedOut>().size(), 1U);
    EXPECT_EQ(pair.hubEventsOf<CommandTimedOut>()[0].command, Command::DeviceInfo);
    EXPECT_EQ(pair.hubDisconnect, DisconnectReason::HandshakeTimeout);
    EXPECT_EQ(pair.hub().state(), HubState::Closed);
}

}  // namespace
}  // namespace lockhub::protocol::tuya
