// Battery locks that sleep, end to end with the default policy (on_demand): lockhub-sim locks
// that drop idle links and advertise slowly, raising the connect-request bit in their
// advertisement generation when they have news; and many locks sharing few connection slots.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "scenarios/SimulatedHub.h"

namespace lockhub::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

json battery(json lock) {
    lock["power"] = "battery";
    lock["advertising_interval_ms"] = 1000;
    lock["idle_timeout_ms"] = 3000;
    return lock;
}

class SleepyLockFlow : public ::testing::Test {
protected:
    void TearDown() override {
        if (HasFailure()) {
            std::cerr << hub_->diagnostics();
        }
    }
    void pair(std::size_t index, const std::string& name) {
        const auto paired = hub_->pair(index, name);
        ASSERT_EQ(paired["status"], "ok") << paired.dump();
        ASSERT_TRUE(hub_->probe().waitFor("lockhub/" + name + "/availability", 30s,
                                          [](const auto& m) { return m.payload == "online"; }))
            << name;
    }
    std::size_t eventsOn(const std::string& lock) {
        return hub_->probe().messagesOn("lockhub/" + lock + "/event").size();
    }
    // A fingerprint on a sleeping lock reaches MQTT once, and the lock goes back to sleep.
    void fingerprintWakes(const std::string& simLock, const std::string& lock) {
        ASSERT_TRUE(waitUntil([&] { return hub_->inspect(simLock)["connected"] == false; }, 15s))
            << simLock << " never fell asleep";
        std::this_thread::sleep_for(10s);  // idle, as a lock at a door is most of the day
        const auto before = eventsOn(lock);
        const auto start = std::chrono::steady_clock::now();
        hub_->ctl({"fingerprint", simLock, "3"});
        auto event = hub_->probe().waitFor("lockhub/" + lock + "/event", 5s, nullptr, before);
        ASSERT_TRUE(event) << "no event within 5 s";
        std::cerr
            << lock << ": fingerprint to event "
            << std::chrono::duration_cast<std::chrono::milliseconds>(event->at - start).count()
            << " ms\n";
        EXPECT_EQ(json::parse(event->payload)["credential"], 3);
        std::this_thread::sleep_for(2s);
        EXPECT_EQ(eventsOn(lock), before + 1) << "exactly one event";
        EXPECT_TRUE(waitUntil([&] { return hub_->inspect(simLock)["connected"] == false; }, 15s))
            << "the link must go back to idle";
    }

    std::unique_ptr<SimulatedHub> hub_;
};

TEST_F(SleepyLockFlow, SleepingV3AndV4LocksEachDeliverAFingerprintWithinSeconds) {
    hub_ = std::make_unique<SimulatedHub>(SimulatedHubOptions{
        .simLocks =
            json::array({battery(json::object()), battery({{"protocol", 4}, {"gatt", "fd50"}})}),
        .policy = "on_demand"});
    pair(0, "front");
    pair(1, "back");
    fingerprintWakes("lock1", "front");
    fingerprintWakes("lock2", "back");
}

// A lock whose battery died neither advertises nor answers. The hub must not dial it over and
// over, must show it offline once its availability timeout passes, and must not fill the
// journal with one warning per attempt: watched for two minutes of real time, one of them past
// the offline mark, at most one connection attempt a minute.
TEST_F(SleepyLockFlow, ALockWhoseBatteryDiedIsNotDialledOverAndOverGoesOfflineAndStaysQuiet) {
    hub_ = std::make_unique<SimulatedHub>(SimulatedHubOptions{
        .simLocks = json::array({battery(json::object())}), .policy = "on_demand"});
    pair(0, "garage");
    // The default timeout (twice the advertising interval, at least 10 minutes) is longer than
    // the watch; everything else is the default on_demand policy.
    const auto policy =
        hub_->request("lock/set_policy",
                      {{"lock", "garage"}, {"mode", "on_demand"}, {"availability_timeout_s", 60}});
    ASSERT_EQ(policy["status"], "ok") << policy.dump();
    std::this_thread::sleep_for(5s);  // the new policy's wake, if any, is over
    ASSERT_TRUE(waitUntil([&] { return hub_->inspect("lock1")["connected"] == false; }, 15s));

    auto countLines = [&](std::string_view needle) {
        const std::string log = hub_->daemon().process().stderrText();
        std::size_t count = 0;
        for (std::size_t at = log.find(needle); at != std::string::npos;
             at = log.find(needle, at + 1)) {
            ++count;
        }
        return count;
    };
    const auto attemptsBefore = countLines("connect failed");
    const auto warningsBefore = countLines("\nwarning ") + countLines("\nerror ");
    const auto availabilityBefore = hub_->probe().messagesOn("lockhub/garage/availability").size();
    hub_->ctl({"out-of-range", "lock1"});  // the battery dies
    const auto died = std::chrono::steady_clock::now();

    // Offline when the availability timeout (60 s) has passed since the lock was last heard, not
    // sooner: a failed connection attempt does not mark an on_demand lock offline, because a
    // lock asleep between polls misses attempts too.
    auto offline = hub_->probe().waitFor(
        "lockhub/garage/availability", 150s, [](const auto& m) { return m.payload == "offline"; },
        availabilityBefore);
    ASSERT_TRUE(offline) << "never shown offline";
    const auto afterS =
        std::chrono::duration_cast<std::chrono::seconds>(offline->at - died).count();
    std::cerr << "offline " << afterS << " s after the battery died\n";
    EXPECT_LE(afterS, 90);

    std::this_thread::sleep_until(died + 2min);
    const auto attempts = countLines("connect failed") - attemptsBefore;
    const auto warnings = countLines("\nwarning ") + countLines("\nerror ") - warningsBefore;
    std::cerr << "in 2 minutes: " << attempts << " connection attempts, " << warnings
              << " warnings\n";
    EXPECT_LE(attempts, 2u) << "at most one connection attempt per minute";
    EXPECT_LT(warnings, 10u) << hub_->daemon().process().stderrText();
    EXPECT_TRUE(hub_->daemon().process().running());
}

TEST_F(SleepyLockFlow, FiftyLocksShareFiveSlotsAndEveryEventCommandAndPairingGetsThrough) {
    constexpr int kLocks = 50;
    json locks = json::array();
    for (int i = 0; i <= kLocks; ++i) {
        locks.push_back(json::object());
    }
    hub_ = std::make_unique<SimulatedHub>(
        SimulatedHubOptions{.simLocks = locks, .policy = "keep_alive", .maxConnections = 5});
    for (int i = 0; i < kLocks; ++i) {
        pair(static_cast<std::size_t>(i), "l" + std::to_string(i + 1));
    }
    for (int round = 0; round < 3; ++round) {
        for (int i = 1; i <= kLocks; ++i) {
            hub_->ctl({"fingerprint", "lock" + std::to_string(i), std::to_string(round + 1)});
        }
    }
    ASSERT_TRUE(waitUntil(
        [&] {
            std::size_t all = 0;
            for (int i = 1; i <= kLocks; ++i) {
                all += eventsOn("l" + std::to_string(i));
            }
            return all == 3 * kLocks;
        },
        180s))
        << "not every event arrived: " << [&] {
               std::string counts;
               for (int i = 1; i <= kLocks; ++i) {
                   counts += " l" + std::to_string(i) + "=" +
                             std::to_string(eventsOn("l" + std::to_string(i)));
               }
               return counts;
           }();
    for (int i : {3, 17, 29, 41, 50}) {
        const std::string set = "lockhub/l" + std::to_string(i) + "/set";
        hub_->probe().publish(set,
                              R"({"state": "LOCK", "transaction": )" + std::to_string(i) + "}");
    }
    for (int i : {3, 17, 29, 41, 50}) {
        const std::string result = "lockhub/l" + std::to_string(i) + "/set/result";
        auto message = hub_->probe().waitFor(result, 60s);
        ASSERT_TRUE(message) << result;
        EXPECT_EQ(json::parse(message->payload)["result"], "ok") << message->payload;
    }
    pair(kLocks, "l51");
}

}  // namespace
}  // namespace lockhub::testing
