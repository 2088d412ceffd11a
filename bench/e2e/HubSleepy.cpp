// A sleeping battery lock (lockhub-sim "power": "battery", advertising every second while asleep)
// with the hub's default on_demand policy, the case most users have:
//  - latency: a fingerprint after the lock has gone to sleep (its link dropped) → `<lock>/event` at
//    an MQTT subscriber: the lock raises the connect-request bit, the hub sees it in its continuous
//    scan, connects, handshakes and takes the record; next to it the same lock with an `always`
//    link (connected, so no wake-up);
//  - events/s: the sleeping lock wakes with a full buffer (20 records, all a battery lock keeps):
//    first emitted → last `<lock>/event`, wake-up included.
// Prints "<key> <value>" lines for scripts/bench.
#include <cstdlib>
#include <thread>

#include "BenchHub.h"

using namespace lockhub::bench;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

constexpr int kAdvertisingMs = 1000;
constexpr int kBatteryBuffer = 20;  // VirtualLockOptions::maxPendingRecords

HubOptions sleepyLock(const std::string& policy) {
    return {.locks = 1,
            .policy = policy,
            .simLock = {{"power", "battery"},
                        {"advertising_interval_ms", kAdvertisingMs},
                        {"idle_timeout_ms", 3000}}};
}

// Waits until the lock is asleep (its link gone: the lock's idle timeout or the hub's 5 s linger
// ended it), then a little longer, so that the lock advertises at its sleepy interval.
void waitAsleep(BenchHub& hub) {
    const bool asleep = lockhub::testing::waitUntil(
        [&] {
            return !json::parse(hub.ctl({"inspect", "lock1"}))["connected"].get<bool>();
        },
        60s, 500ms);
    BenchHub::need(asleep, "the battery lock did not go to sleep");
    std::this_thread::sleep_for(2s);
}

Stats latency(BenchHub& hub, int samples, bool asleep) {
    std::vector<double> latencies;
    for (int k = 0; k < samples; ++k) {
        if (asleep) {
            waitAsleep(hub);
        } else {
            std::this_thread::sleep_for(1s);
        }
        const auto before = hub.probe().messagesOn("lockhub/lock1/event").size();
        const auto start = Clock::now();
        hub.ctl({"fingerprint", "lock1", std::to_string(k + 1)});
        auto event = hub.probe().waitFor("lockhub/lock1/event", 30s, nullptr, before);
        BenchHub::need(event.has_value(), "no event from the battery lock");
        latencies.push_back(std::chrono::duration<double, std::milli>(event->at - start).count());
    }
    return stats(latencies);
}

}  // namespace

int main(int argc, char** argv) {
    const int samples = argc > 1 ? std::atoi(argv[1]) : 5;
    try {
        {
            BenchHub hub(sleepyLock("on_demand"));
            const auto sleepy = latency(hub, samples, true);
            report("sleepy_event_median_ms", sleepy.median);
            report("sleepy_event_p99_ms", sleepy.p99);
            waitAsleep(hub);
            report("sleepy_events_per_s", hub.burst(kBatteryBuffer).perSecond());
        }
        BenchHub hub(sleepyLock("always"));
        const auto awake = latency(hub, samples, false);
        report("sleepy_always_event_median_ms", awake.median);
        report("sleepy_always_event_p99_ms", awake.p99);
        report("sleepy_always_events_per_s", hub.burst(kBatteryBuffer).perSecond());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sleeping-lock benchmark failed: %s\n", e.what());
        return 1;
    }
    return 0;
}
