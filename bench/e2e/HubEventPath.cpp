// The hub's event and command paths against lockhub-sim, for 1, 10 and 50 paired locks:
//  - event latency: the simulated lock emits a record (the sim's CLOCK_MONOTONIC stamp) → an MQTT
//    subscriber receives `<lock>/event`, one record at a time, round robin over the locks;
//  - command latency: the subscriber publishes `<lock>/set` UNLOCK/LOCK → it receives
//    `<lock>/set/result` (the lock executed the write and acknowledged it);
//  - durable events/s: every lock replays its share of a backlog at once (BenchHub::burst);
//  - lockhubd's RSS once every lock is online, and after the backlog (also PSS and private dirty).
// 1 and 10 locks keep standing links (`always`). 50 cannot: the hub holds at most
// `bluetooth.max_connections` (32) links and refuses to pair an `always` lock beyond them
// (`limit_reached`), so 50 locks use the default `on_demand`: a lock with
// a record asks for a link in its advertisement, the hub connects, takes it and lingers 5 s. A
// lock without a link keeps only its last 20 records (as real ones do), so there the backlog comes
// in rounds of 20 a lock, each round delivered before the next starts.
// Prints "<key> <value>" lines for scripts/bench.
#include <cstdlib>
#include <optional>
#include <thread>

#include "BenchHub.h"

using namespace lockhub::bench;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

constexpr int kMaxLinks = 32;    // the most `bluetooth.max_connections` admits
constexpr int kLockBuffer = 20;  // records a lock keeps while it has no link

void run(int locks, int samples, int records) {
    BenchHub hub({.locks = locks, .policy = locks > kMaxLinks ? "on_demand" : "always"});
    const auto key = [&](const std::string& what) { return what + "_" + std::to_string(locks); };
    report(key("rss_online_kib"), static_cast<double>(hub.daemonMemoryKiB("Rss")));
    std::vector<double> events;
    std::vector<double> commands;
    for (int k = 0; k < samples; ++k) {
        const std::string lock = "lock" + std::to_string(k % locks + 1);
        const std::string topic = "lockhub/" + lock + "/event";
        const auto before = hub.probe().messagesOn(topic).size();
        const auto burst = json::parse(hub.ctl({"burst", lock, "1"}));
        const auto emitted = Clock::time_point(
            std::chrono::microseconds(burst["emitted_usec"][0].get<std::int64_t>()));
        auto event = hub.probe().waitFor(topic, 10s, nullptr, before);
        BenchHub::need(event.has_value(), "no event for " + lock);
        events.push_back(std::chrono::duration<double, std::milli>(event->at - emitted).count());

        const std::string set = "lockhub/" + lock + "/set";
        // The probe has just acknowledged the event (a small PUBACK); sent at once, the command
        // would wait in the probe's own socket for the broker's delayed ACK (Nagle, ~40 ms),
        // which measures Paho's client, not the hub.
        std::this_thread::sleep_for(100ms);
        const auto results = hub.probe().messagesOn(set + "/result").size();
        const auto sent = Clock::now();
        hub.probe().publish(set, k % 2 == 0 ? "UNLOCK" : "LOCK");
        auto result = hub.probe().waitFor(set + "/result", 10s, nullptr, results);
        BenchHub::need(result.has_value(), "no command result for " + lock);
        commands.push_back(std::chrono::duration<double, std::milli>(result->at - sent).count());
    }
    const auto e = stats(events);
    const auto c = stats(commands);
    report(key("event_median_ms"), e.median);
    report(key("event_p99_ms"), e.p99);
    report(key("command_median_ms"), c.median);
    report(key("command_p99_ms"), c.p99);
    const int perLock = std::max(1, records / locks);
    const int perRound = locks > kMaxLinks ? std::min(perLock, kLockBuffer) : perLock;
    std::optional<BurstFigures> backlog;
    const double cpuBefore = daemonCpuSeconds(hub.daemonPid());
    for (int sent = 0; sent < perLock; sent += perRound) {
        const auto round = hub.burst(std::min(perRound, perLock - sent));
        backlog = backlog ? BurstFigures{backlog->records + round.records, backlog->firstEmitted,
                                         round.lastDelivered}
                          : round;
    }
    report(key("events_per_s"), backlog->perSecond());
    // What the backlog cost lockhubd (all its threads): under load it gets less of the CPU and its
    // rate drops, but its cost per event barely moves, so this compares builds across runs.
    report(key("cpu_us_per_event"), 1e6 * (daemonCpuSeconds(hub.daemonPid()) - cpuBefore) /
                                        static_cast<double>(backlog->records));
    // RSS counts the shared libraries' pages (libcrypto, libstdc++, libc, ...) in full; the private
    // dirty pages are what this process alone costs.
    report(key("rss_after_kib"), static_cast<double>(hub.daemonMemoryKiB("Rss")));
    report(key("pss_after_kib"), static_cast<double>(hub.daemonMemoryKiB("Pss")));
    report(key("private_dirty_after_kib"),
           static_cast<double>(hub.daemonMemoryKiB("Private_Dirty")));
}

}  // namespace

int main(int argc, char** argv) {
    const int samples = argc > 1 ? std::atoi(argv[1]) : 40;
    const int records = argc > 2 ? std::atoi(argv[2]) : 10000;
    const int only = argc > 3 ? std::atoi(argv[3]) : 0;  // one lock count, to reproduce one row
    try {
        for (int locks : {1, 10, 50}) {
            if (only == 0 || only == locks) {
                run(locks, samples, records);
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "hub event-path benchmark failed: %s\n", e.what());
        return 1;
    }
    return 0;
}
