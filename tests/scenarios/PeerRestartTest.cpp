// The daemon's peers come and go: mosquitto is restarted in the middle of backlog bursts, and
// lockhub-sim (standing in for bluetoothd) is killed and started again. Every cycle the daemon
// must be back within 10 s and lose nothing, and over all cycles its file descriptors and threads
// must stay flat. LOCKHUB_PEER_CYCLES sets the cycles (default 10; scripts/soak runs 100).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

#include "scenarios/AckedRecords.h"
#include "scenarios/HubInspection.h"
#include "scenarios/SimulatedHub.h"

namespace lockhub::testing {
namespace {

using namespace std::chrono_literals;

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

    bool linked() { return relinked(hub_, "lock1", kReconnectLimit); }
    bool drained() { return lockhub::testing::drained(hub_, "lock1", 30s); }
    void expectFlat(const Footprint& first, const Footprint& last) {
        EXPECT_LE(last.files, first.files + kSlack)
            << "file descriptors grew from " << first.files << " to " << last.files;
        EXPECT_LE(last.threads, first.threads + kSlack)
            << "threads grew from " << first.threads << " to " << last.threads;
        std::cout << "[ lockhubd ] fds " << first.files << " -> " << last.files << ", threads "
                  << first.threads << " -> " << last.threads << " over " << cycles() << " cycles\n";
    }

    SimulatedHub hub_;
    AckedRecords acked_{hub_, "lock1"};
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
    acked_.collect();
    EXPECT_EQ(acked_.count(), static_cast<std::size_t>(n) * 15) << "the lock kept every record";
    acked_.expectStoredAndDelivered();
    expectFlat(first, footprintOf(hub_));
}

TEST_F(PeerRestart, BluetoothdKilledAndRestartedIsRejoinedWithinTenSecondsLosingNothing) {
    Footprint first{};
    const int n = cycles();
    for (int cycle = 0; cycle < n; ++cycle) {
        hub_.ctl({"burst", "lock1", "10"});
        ASSERT_TRUE(drained()) << hub_.diagnostics();
        acked_.collect();
        hub_.killSim();
        hub_.startSim();
        ASSERT_TRUE(linked()) << "cycle " << cycle << ": the lock not back within 10 s\n"
                              << hub_.diagnostics();
        ASSERT_TRUE(hub_.daemon().process().running()) << hub_.diagnostics();
        if (cycle == 0) {
            first = footprintOf(hub_);
        }
    }
    EXPECT_EQ(acked_.count(), static_cast<std::size_t>(n) * 10) << "the lock kept every record";
    acked_.expectStoredAndDelivered();
    expectFlat(first, footprintOf(hub_));
}

}  // namespace
}  // namespace lockhub::testing
