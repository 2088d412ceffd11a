// BluezCentral while the adapter refuses discovery: retries spaced by a jittered, doubling back-off
// (timed by the sim as StartDiscovery arrives), one warning per streak, and discovery resuming when
// the refusal ends or the adapter comes back.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "CentralHarness.h"
#include "SimBluez.h"

namespace lockhub::adapters::bluez::test {
namespace {

using namespace std::chrono_literals;

// gtest's stderr capture, released even when an assertion returns early.
class CapturedStderr {
public:
    CapturedStderr() { ::testing::internal::CaptureStderr(); }
    ~CapturedStderr() { take(); }
    const std::string& take() {
        if (!taken_) {
            text_ = ::testing::internal::GetCapturedStderr();
            taken_ = true;
        }
        return text_;
    }

private:
    bool taken_ = false;
    std::string text_;
};

std::vector<std::string> linesStartingWith(const std::string& text, const std::string& prefix) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(prefix, 0) == 0) {
            out.push_back(line);
        }
    }
    return out;
}

std::vector<std::chrono::microseconds> discoveryStarts(SimBluez& sim) {
    std::vector<std::chrono::microseconds> out;
    for (const auto& usec : nlohmann::json::parse(sim.ctl({"discovery-starts"}))) {
        out.emplace_back(usec.get<std::int64_t>());
    }
    return out;
}

BluezOptions backoff(const SimBluez& sim, std::chrono::milliseconds initial,
                     std::chrono::milliseconds max) {
    BluezOptions options;
    options.bus = sim.address();
    options.discoveryRetryInitial = initial;
    options.discoveryRetryMax = max;
    return options;
}

TEST(DiscoveryBackoff, RefusedDiscoveryIsRetriedWithGrowingDelaysAndOneWarning) {
    SimBluez sim({"--locks", "2", "--seed", "7"});
    const auto locks = sim.locks();
    // InProgress is what bluetoothd answers when the controller will not scan.
    sim.ctl({"refuse-discovery", "InProgress"});
    CentralHarness harness(backoff(sim, 100ms, 1600ms));
    CapturedStderr log;
    harness.central().start();
    ASSERT_TRUE(harness.runUntil([&] { return harness.central().available(); }));
    harness.central().startDiscovery();
    harness.runUntil([] { return false; }, 5s);

    const auto starts = discoveryStarts(sim);
    // Delays drawn from [base/2, base], base 100 ms doubling to 1.6 s: 7 to 10 attempts in 5 s
    // where a fixed 1 s retry would make 5 and a flood thousands.
    ASSERT_GE(starts.size(), 7u);
    ASSERT_LE(starts.size(), 10u);
    auto base = 100ms;
    for (std::size_t i = 1; i < starts.size(); ++i) {
        const auto gap =
            std::chrono::duration_cast<std::chrono::milliseconds>(starts[i] - starts[i - 1]);
        SCOPED_TRACE("attempt " + std::to_string(i) + ": " + std::to_string(gap.count()) + " ms");
        EXPECT_GE(gap, base / 2 - 20ms);
        EXPECT_LE(gap, base + 150ms);  // the box is shared: the loop may turn late
        base = std::min(base * 2, std::chrono::milliseconds(1600));
    }
    EXPECT_FALSE(sim.adapterDiscovering());
    const auto refusedUntil = starts.size();

    // The refusal ends: the next scheduled attempt starts discovery and the locks show up.
    sim.ctl({"refuse-discovery", "off"});
    ASSERT_TRUE(harness.runUntil(
        [&] {
            return std::all_of(locks.begin(), locks.end(), [&](const SimLock& lock) {
                const auto it = harness.advertisements.find(lock.mac);
                return it != harness.advertisements.end() && it->second.tuyaManufacturerData;
            });
        },
        3s));
    EXPECT_TRUE(sim.adapterDiscovering());
    EXPECT_EQ(discoveryStarts(sim).size(), refusedUntil + 1);

    const std::string& text = log.take();
    const auto warnings = linesStartingWith(text, "warning ");
    ASSERT_EQ(warnings.size(), 1u) << text;
    EXPECT_EQ(warnings[0].rfind("warning bluez: discovery refused: org.bluez.Error.InProgress In "
                                "Progress; next attempt in ",
                                0),
              0u)
        << warnings[0];
    EXPECT_EQ(linesStartingWith(text, "info bluez: discovery started after " +
                                          std::to_string(refusedUntil) + " refused attempts")
                  .size(),
              1u)
        << text;
}

TEST(DiscoveryBackoff, AdapterComingBackResumesDiscoveryWithoutWaitingForTheBackoff) {
    SimBluez sim({"--locks", "1", "--seed", "7"});
    sim.ctl({"refuse-discovery", "NotReady"});
    // The retry after the first refusal is 5-10 s away.
    CentralHarness harness(backoff(sim, 10s, 60s));
    harness.central().start();
    ASSERT_TRUE(harness.runUntil([&] { return harness.central().available(); }));
    harness.central().startDiscovery();
    ASSERT_TRUE(harness.runUntil([&] { return discoveryStarts(sim).size() == 1; }, 3s));

    sim.ctl({"refuse-discovery", "off"});
    sim.setPowered(false);
    ASSERT_TRUE(harness.runUntil([&] { return !harness.central().available(); }));
    const auto poweredOn = std::chrono::steady_clock::now();
    sim.setPowered(true);
    ASSERT_TRUE(harness.runUntil([&] { return sim.adapterDiscovering(); }, 3s));
    EXPECT_LT(std::chrono::steady_clock::now() - poweredOn, 2s);
    EXPECT_EQ(discoveryStarts(sim).size(), 2u);
    ASSERT_TRUE(harness.runUntil([&] { return !harness.advertisements.empty(); }));
}

}  // namespace
}  // namespace lockhub::adapters::bluez::test
