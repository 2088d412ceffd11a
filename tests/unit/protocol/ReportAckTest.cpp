// The hub session leaves acknowledging a report to its caller, who does so only once the record is
// stored: the lock deletes an acknowledged record, so an early ack can lose it on both sides.
#include <gtest/gtest.h>

#include "SessionPair.h"

namespace lockhub::protocol::tuya {
namespace {

using std::chrono::seconds;
using test::SessionPair;

const ReportTime kAt{ReportTime::Format::Seconds, 1700000000000};

// A paired session whose app does not acknowledge by itself; the lock has sent one record.
class ReportAck : public ::testing::TestWithParam<ProtocolVersion> {
protected:
    void SetUp() override {
        pair.handshake();
        pair.acknowledgeReports = false;
        auto id = pair.lock().report({Dp::integer(12, 3)}, kAt, pair.mono());
        ASSERT_TRUE(id);
        record = *id;
        pair.pump();
    }
    ReportState state() { return pair.lock().reportState(record); }

    SessionPair pair{GetParam()};
    ReportId record = 0;
};

INSTANTIATE_TEST_SUITE_P(Versions, ReportAck,
                         ::testing::Values(ProtocolVersion::V3, ProtocolVersion::V4));

TEST_P(ReportAck, AReportStaysWithTheLockUntilTheCallerAcknowledgesIt) {
    ASSERT_EQ(pair.hubEventsOf<ReportReceived>().size(), 1U);
    ASSERT_EQ(pair.unacknowledged.size(), 1U);
    EXPECT_NE(pair.unacknowledged[0], 0U);
    EXPECT_EQ(state(), ReportState::InFlight);

    pair.hub().acknowledge(pair.unacknowledged[0]);
    pair.pump();
    EXPECT_EQ(state(), ReportState::Acknowledged);
}

TEST_P(ReportAck, ARetransmissionWhileUndecidedIsAbsorbedAndTheAckAnswersTheNewestCopy) {
    pair.tick(seconds(6));  // the lock sends it again: the hub has not decided yet

    ASSERT_EQ(pair.hubEventsOf<ReportReceived>().size(), 1U);
    ASSERT_EQ(pair.unacknowledged.size(), 1U);
    pair.hub().acknowledge(pair.unacknowledged[0]);
    pair.pump();
    EXPECT_EQ(state(), ReportState::Acknowledged);
}

TEST_P(ReportAck, AReleasedReportIsSurfacedAgainWhenTheLockRetries) {
    pair.hub().release(std::exchange(pair.unacknowledged, {}).at(0));
    pair.pump();
    EXPECT_EQ(state(), ReportState::InFlight);

    pair.acknowledgeReports = true;  // the store works again
    pair.tick(seconds(6));
    const auto reports = pair.hubEventsOf<ReportReceived>();
    ASSERT_EQ(reports.size(), 2U);
    EXPECT_EQ(reports[1].report.dps, reports[0].report.dps);
    EXPECT_NE(reports[1].token, reports[0].token);
    EXPECT_EQ(state(), ReportState::Acknowledged);
}

TEST_P(ReportAck, ARetransmissionAfterALostAckIsAckedAgainAndSurfacedAsARepeat) {
    pair.dropHubFrames = 1;  // the acknowledgement
    pair.hub().acknowledge(pair.unacknowledged.at(0));
    pair.pump();
    EXPECT_EQ(state(), ReportState::InFlight);
    pair.tick(seconds(6));
    EXPECT_EQ(state(), ReportState::Acknowledged);
    EXPECT_EQ(pair.hubEventsOf<ReportReceived>().size(), 1U);
    const auto repeats = pair.hubEventsOf<ReportRepeated>();
    ASSERT_EQ(repeats.size(), 1U);
    EXPECT_EQ(repeats[0].report.dps, std::vector<Dp>{Dp::integer(12, 3)});
}

TEST_P(ReportAck, UnknownStaleAndRepeatedDecisionsSendNothing) {
    const ReportToken token = pair.unacknowledged.at(0);
    pair.hub().acknowledge(0);
    pair.hub().acknowledge(token + 1);
    pair.hub().release(token + 1);
    EXPECT_TRUE(pair.hub().takeOutput().packets.empty());
    pair.hub().acknowledge(token);
    EXPECT_FALSE(pair.hub().takeOutput().packets.empty());
    pair.hub().acknowledge(token);
    pair.hub().release(token);
    EXPECT_TRUE(pair.hub().takeOutput().packets.empty());
}

}  // namespace
}  // namespace lockhub::protocol::tuya
