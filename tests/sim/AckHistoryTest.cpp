// AckedRecords: exactly the records a lock deleted because a hub acknowledged them, which is what
// a hub must have stored. Checked against a hub that loses its link in the middle of a burst.
#include <gtest/gtest.h>

#include <set>

#include "tests/sim/HubLink.h"

namespace lockhub::sim::test {
namespace {

using std::chrono::milliseconds;

// (dp, value, lock time) of a burst record as the hub received it and as the sim lists it.
using RecordKey = std::tuple<int, std::int32_t, std::int64_t>;

RecordKey keyOf(const protocol::tuya::DpReport& report) {
    return {report.dps.at(0).id, std::get<std::int32_t>(report.dps.at(0).value),
            report.time->unixMs / 1000};
}

RecordKey keyOf(const nlohmann::json& record) {
    return {record.at("dp").get<int>(),
            static_cast<std::int32_t>(
                std::stoul(record.at("value_hex").get<std::string>(), nullptr, 16)),
            record.at("lock_time").get<std::int64_t>()};
}

std::vector<std::uint64_t> idsOf(const nlohmann::json& records) {
    std::vector<std::uint64_t> ids;
    for (const auto& record : records) {
        ids.push_back(record.at("id").get<std::uint64_t>());
    }
    return ids;
}

TEST(SimAckHistory, ListsExactlyTheRecordsTheLockDeletedWhenTheHubVanishesMidBurst) {
    SimProcess sim({"--locks", "1", "--seed", "11"});
    const auto locks = readCredentials(sim.credentialsFile());
    const auto& name = locks[0].name;
    sim.discover({locks[0].mac});
    std::set<RecordKey> stored;  // everything any hub received
    nlohmann::json burst;
    {
        HubLink hub(sim, locks[0].identity);
        ASSERT_TRUE(hub.connect());
        ASSERT_TRUE(hub.handshake());
        burst = simJson(sim, "Burst", name, 300u);
        ASSERT_TRUE(hub.pumpUntil([&] { return hub.recordCount() >= 40; }, milliseconds(10000)));
        sim.sim("DropConnection", name);
        for (const auto& record : hub.records()) {
            stored.insert(keyOf(record));
        }
    }
    const auto acked = simJson(sim, "AckedRecords", name);
    const auto state = simJson(sim, "Inspect", name);
    ASSERT_GE(acked.size(), 40u);
    ASSERT_LT(acked.size(), 300u);
    EXPECT_EQ(state.at("acked_records"), acked.size());
    // Acks come in record order, one report in flight: the acked ones are a prefix of the burst,
    // the rest still waits, and nothing is in both.
    const auto all = idsOf(burst.at("records"));
    const auto split = static_cast<std::ptrdiff_t>(acked.size());
    auto expectedAcked = std::vector<std::uint64_t>(all.begin(), all.begin() + split);
    EXPECT_EQ(idsOf(acked), expectedAcked);
    EXPECT_EQ(idsOf(state.at("pending_records")),
              std::vector<std::uint64_t>(all.begin() + split, all.end()));
    for (std::size_t i = 0; i < acked.size(); ++i) {
        EXPECT_EQ(acked[i], burst.at("records")[i]);
        EXPECT_EQ(stored.count(keyOf(acked[i])), 1u) << "acked but never received: " << acked[i];
    }
    // At most the record in flight reached the hub without its ack reaching the lock.
    EXPECT_LE(stored.size(), acked.size() + 1);

    HubLink next(sim, locks[0].identity);
    ASSERT_TRUE(next.connect());
    ASSERT_TRUE(next.handshake());
    ASSERT_TRUE(next.pumpUntil([&] { return stored.size() + next.recordCount() >= 300; },
                               milliseconds(10000)));
    for (const auto& record : next.records()) {
        stored.insert(keyOf(record));
    }
    EXPECT_EQ(stored.size(), 300u);
    // WriteValue returns once the lock has handled the ack, so the last one is in already.
    const auto finalAcked = simJson(sim, "AckedRecords", name);
    EXPECT_EQ(finalAcked, burst.at("records"));
    const auto finalState = simJson(sim, "Inspect", name);
    EXPECT_TRUE(finalState.at("pending_records").empty());
    EXPECT_EQ(finalState.at("abandoned_reports"), 0);
}

TEST(SimAckHistory, UnknownLockIsAnError) {
    SimProcess sim({"--locks", "1", "--seed", "11"});
    EXPECT_EQ(SimProcess::errorOf([&] { sim.sim("AckedRecords", std::string("nobody")); }),
              "org.lockhub.Sim.Error.UnknownLock");
}

}  // namespace
}  // namespace lockhub::sim::test
