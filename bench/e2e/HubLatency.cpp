// End-to-end latency of the hub against lockhub-sim, for 1 and 10 locks:
//  - event: the simulated lock emits a record (the sim's CLOCK_MONOTONIC stamp) → an MQTT
//    subscriber receives `<lock>/event`;
//  - command: an MQTT subscriber publishes `<lock>/set` UNLOCK → it receives `<lock>/set/result`
//    (the lock has executed the write and acknowledged it).
// Prints medians and p99 in milliseconds. The same run's D-Bus floor comes from
// lockhub_bench_sim (write→notify through the sim); scripts/bench prints both.
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "BenchHub.h"

using namespace lockhub::bench;
using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

void run(int locks, int samples) {
    BenchHub hub({.locks = locks});
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
    std::printf("%2d lock(s), %d samples: event  median %6.2f ms  p99 %6.2f ms\n", locks, samples,
                e.median, e.p99);
    std::printf("%2d lock(s), %d samples: command median %6.2f ms  p99 %6.2f ms\n", locks, samples,
                c.median, c.p99);
}

}  // namespace

int main(int argc, char** argv) {
    const int samples = argc > 1 ? std::atoi(argv[1]) : 40;
    try {
        run(1, samples);
        run(10, samples);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "hub latency benchmark failed: %s\n", e.what());
        return 1;
    }
    return 0;
}
