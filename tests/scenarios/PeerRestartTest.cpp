// The daemon's peers come and go: mosquitto is restarted in the middle of backlog bursts, and
// lockhub-sim (standing in for bluetoothd) is killed and started again. Every cycle the daemon
// must be back within 10 s and lose nothing, and over all cycles its file descriptors and threads
// must stay flat. LOCKHUB_PEER_CYCLES sets the cycles (default 10; scripts/soak runs 100).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>

#include "scenarios/HubInspection.h"
#include "scenarios/SimulatedHub.h"

namespace lockhub::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr auto kReconnectLimit = 10s;
// Slack for descriptors and threads that come and go within a cycle (a connect in flight).
constexpr std::size_t kSlack = 2;

int cycles() {
    const char* value = std::getenv("LOCKHUB_PEER_CYCLES");
    return value != nullptr ? std::max(2, std::atoi(value)) : 10;
}

struct Footprint {
    std::size_t files;
    std::size_t threads;
};

Footprint footprintOf(SimulatedHub& hub) {
    const auto pid = hub.daemon().process().pid();
    return {openFiles(pid), threads(pid)};
}

class PeerRestart : public ::testing::Test {
protected:
    void SetUp() override {
        const auto paired = hub_.pair(0, "Front");
        ASSERT_EQ(paired["status"], "ok") << paired.dump();
        ASSERT_TRUE(linked()) << hub_.diagnostics();
    }

    bool linked() {
        return waitUntil([&] { return hub_.inspect("lock1")["paired"] == true; }, kReconnectLimit,
                         50ms);
    }
    bool drained() {
        return waitUntil([&] { return hub_.inspect("lock1")["pending_records"].empty(); }, 30s,
                         50ms);
    }
    // What this sim generation deleted on an ack, added to what earlier generations did.
    void collectAcked() {
        const auto records = json::parse(hub_.ctl({"acked", "lock1"}));
        ackedCount_ += records.size();
        for (const auto& record : records) {
            acked_.insert(recordKeyOf(record));
        }
    }
    // Every acknowledged record is stored, and the outbox holds nothing unpublished.
    void expectNothingLost() {
        const auto stored = storedRecords(hub_.database());
        for (const auto& key : acked_) {
            EXPECT_TRUE(stored.contains(key)) << "acknowledged but not stored: dp "
                                              << std::get<0>(key) << " " << std::get<1>(key);
        }
        EXPECT_TRUE(waitUntil(
            [&] {
                return queryDatabase(hub_.database(), "SELECT count(*) AS n FROM outbox")[0]["n"] ==
                       0;
            },
            20s))
            << "events stored but never delivered to the broker";
    }
    void expectFlat(const Footprint& first, const Footprint& last) {
        EXPECT_LE(last.files, first.files + kSlack)
            << "file descriptors grew from " << first.files << " to " << last.files;
        EXPECT_LE(last.threads, first.threads + kSlack)
            << "threads grew from " << first.threads << " to " << last.threads;
        std::cout << "[ lockhubd ] fds " << first.files << " -> " << last.files << ", threads "
                  << first.threads << " -> " << last.threads << " over " << cycles() << " cycles\n";
    }

    SimulatedHub hub_;
    std::set<RecordKey> acked_;
    std::size_t ackedCount_ = 0;
};

TEST_F(PeerRestart, BrokerRestartedMidBurstIsRejoinedWithinTenSecondsLosingNothing) {
    Footprint first{};
    const int n = cycles();
    for (int cycle = 0; cycle < n; ++cycle) {
        hub_.ctl({"burst", "lock1", "15"});
        std::this_thread::sleep_for(std::chrono::milliseconds(20 * (cycle % 5)));
        const auto before = hub_.probe().messagesOn("lockhub/bridge/state").size();
        hub_.restartBroker(200ms);
        const auto restarted = std::chrono::steady_clock::now();
        const auto online = hub_.probe().waitFor(
            "lockhub/bridge/state", kReconnectLimit,
            [](const ReceivedMessage& m) { return m.payload == "online"; }, before);
        ASSERT_TRUE(online) << "cycle " << cycle << ": not back within 10 s\n"
                            << hub_.diagnostics();
        ASSERT_TRUE(hub_.daemon().process().running()) << hub_.diagnostics();
        ASSERT_LE(online->at - restarted, kReconnectLimit);
        ASSERT_TRUE(drained()) << hub_.diagnostics();
        if (cycle == 0) {
            first = footprintOf(hub_);  // after the first reconnect: Paho's threads exist
        }
    }
    collectAcked();
    EXPECT_EQ(ackedCount_, static_cast<std::size_t>(n) * 15) << "the lock kept every record";
    expectNothingLost();
    expectFlat(first, footprintOf(hub_));
}

TEST_F(PeerRestart, BluetoothdKilledAndRestartedIsRejoinedWithinTenSecondsLosingNothing) {
    Footprint first{};
    const int n = cycles();
    for (int cycle = 0; cycle < n; ++cycle) {
        hub_.ctl({"burst", "lock1", "10"});
        ASSERT_TRUE(drained()) << hub_.diagnostics();
        collectAcked();
        hub_.killSim();
        hub_.startSim();
        ASSERT_TRUE(linked()) << "cycle " << cycle << ": the lock not back within 10 s\n"
                              << hub_.diagnostics();
        ASSERT_TRUE(hub_.daemon().process().running()) << hub_.diagnostics();
        if (cycle == 0) {
            first = footprintOf(hub_);
        }
    }
    EXPECT_EQ(ackedCount_, static_cast<std::size_t>(n) * 10) << "the lock kept every record";
    expectNothingLost();
    expectFlat(first, footprintOf(hub_));
}

}  // namespace
}  // namespace lockhub::testing
