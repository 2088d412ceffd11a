// The soak (issue 13 §2): records, outages and reconnects, cycle after cycle, for
// LOCKHUB_SOAK_MINUTES minutes (scripts/soak --minutes N); unset, three cycles, one of each outage.
// Each cycle is a burst of records and one outage in turn: mosquitto restarted mid-burst, the lock
// out of range and back, lockhub-sim (bluetoothd's stand-in) killed and restarted. Every cycle
// must lose nothing. Over the run, descriptors and threads stay flat, and once five minutes have
// passed (the warm-up, in which SQLite's page cache, Paho's buffers and the allocator's arenas
// reach their working size) lockhubd's resident memory may grow by less than 5 %.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

#include "scenarios/AckedRecords.h"
#include "scenarios/HubInspection.h"
#include "scenarios/SimulatedHub.h"

namespace lockhub::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto kWarmUp = 5min;
constexpr double kRssGrowthLimit = 0.05;
constexpr std::size_t kResourceSlack = 2;

std::chrono::minutes soakMinutes() {
    const char* value = std::getenv("LOCKHUB_SOAK_MINUTES");
    return std::chrono::minutes(value != nullptr ? std::max(0, std::atoi(value)) : 0);
}

std::size_t residentKiB(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);) {
        if (line.starts_with("VmRSS:")) {
            return std::stoul(line.substr(6));
        }
    }
    return 0;
}

class Soak : public ::testing::Test {
protected:
    void SetUp() override {
        const auto paired = hub_.pair(0, "Front");
        ASSERT_EQ(paired["status"], "ok") << paired.dump();
        ASSERT_TRUE(linked()) << hub_.diagnostics();
    }

    bool linked() { return relinked(hub_, "lock1", 30s); }
    bool drained() { return lockhub::testing::drained(hub_, "lock1", 60s); }

    void brokerOutage(int cycle) {
        hub_.ctl({"burst", "lock1", "15"});
        std::this_thread::sleep_for(std::chrono::milliseconds(20 * (cycle % 5)));
        const auto before = hub_.probe().messagesOn("lockhub/bridge/state").size();
        hub_.restartBroker(500ms);
        ASSERT_TRUE(hub_.probe().waitFor(
            "lockhub/bridge/state", 10s,
            [](const ReceivedMessage& m) { return m.payload == "online"; }, before))
            << "cycle " << cycle << ": the broker not rejoined within 10 s\n"
            << hub_.diagnostics();
        ASSERT_TRUE(drained()) << hub_.diagnostics();
        sent_ += 15;
    }
    // Records made while the hub cannot reach the lock wait in its 20-record buffer.
    void lockOutage(int cycle) {
        hub_.ctl({"out-of-range", "lock1"});
        hub_.ctl({"burst", "lock1", "15"});
        std::this_thread::sleep_for(3s);
        hub_.ctl({"in-range", "lock1"});
        ASSERT_TRUE(drained()) << "cycle " << cycle << ": the lock's records not replayed\n"
                               << hub_.diagnostics();
        sent_ += 15;
    }
    void bluetoothdOutage(int cycle) {
        hub_.ctl({"burst", "lock1", "10"});
        ASSERT_TRUE(drained()) << hub_.diagnostics();
        sent_ += 10;
        acked_.collect();
        hub_.killSim();
        hub_.startSim();
        ASSERT_TRUE(linked()) << "cycle " << cycle << ": the lock not back within 30 s\n"
                              << hub_.diagnostics();
    }

    SimulatedHub hub_;
    AckedRecords acked_{hub_, "lock1"};
    std::size_t sent_ = 0;
};

TEST_F(Soak, RecordsOutagesAndReconnectsLoseNothingAndKeepTheFootprintFlat) {
    const auto minutes = soakMinutes();
    const auto start = std::chrono::steady_clock::now();
    const auto pid = hub_.daemon().process().pid();
    std::size_t files = 0;
    std::size_t threadCount = 0;
    std::size_t rssAfterWarmUp = 0;
    std::size_t rssFirst = 0;
    std::size_t rssMax = 0;
    int cycle = 0;
    for (; minutes.count() == 0 ? cycle < 3 : std::chrono::steady_clock::now() - start < minutes;
         ++cycle) {
        switch (cycle % 3) {
            case 0:
                ASSERT_NO_FATAL_FAILURE(brokerOutage(cycle));
                break;
            case 1:
                ASSERT_NO_FATAL_FAILURE(lockOutage(cycle));
                break;
            default:
                ASSERT_NO_FATAL_FAILURE(bluetoothdOutage(cycle));
                break;
        }
        ASSERT_TRUE(hub_.daemon().process().running()) << hub_.diagnostics();
        const auto rss = residentKiB(pid);
        if (cycle == 2) {  // every peer reconnected once: Paho's threads and sessions exist
            files = openFiles(pid);
            threadCount = threads(pid);
            rssFirst = rss;
        }
        if (rssAfterWarmUp == 0 && std::chrono::steady_clock::now() - start >= kWarmUp) {
            rssAfterWarmUp = rss;
        }
        rssMax = std::max(rssMax, rss);
    }
    acked_.collect();
    EXPECT_EQ(acked_.count(), sent_) << "the lock kept every record until the hub acknowledged it";
    acked_.expectStoredAndDelivered();
    EXPECT_LE(openFiles(pid), files + kResourceSlack) << "file descriptors grew";
    EXPECT_LE(threads(pid), threadCount + kResourceSlack) << "threads grew";

    const auto rssLast = residentKiB(pid);
    std::cout << "[ soak ] " << cycle << " cycles in "
              << std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                                  start)
                     .count()
              << " s, " << sent_ << " records; lockhubd's RSS " << rssFirst
              << " KiB after the first cycles, ";
    if (rssAfterWarmUp > 0) {
        std::cout << rssAfterWarmUp << " KiB after 5 minutes, ";
    }
    std::cout << rssLast << " KiB at the end (max " << rssMax << ")\n";
    if (rssAfterWarmUp > 0) {
        EXPECT_LE(static_cast<double>(rssLast),
                  static_cast<double>(rssAfterWarmUp) * (1.0 + kRssGrowthLimit))
            << "RSS grew by more than 5 % after the warm-up";
    }
}

}  // namespace
}  // namespace lockhub::testing
