// Durable throughput of the hub against lockhub-sim, for 1, 10 and 32 locks: every lock replays a
// backlog at once (`ctl burst`), and the figure is records per second from the first record the
// sim emitted to the last `<lock>/event` the MQTT subscriber received — each one stored with its
// outbox row (synchronous=FULL) and acknowledged to the lock before it was published. Also prints
// lockhubd's RSS once online and after the bursts. scripts/bench sets it against the sim's own
// burst floor (lockhub_bench_sim BurstRecords) from the same run.
#include <cstdio>
#include <cstdlib>

#include "BenchHub.h"

using namespace lockhub::bench;
using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

void run(int locks, int perLock) {
    BenchHub hub({.locks = locks});
    const long rssOnline = hub.daemonRssKiB();
    const auto isEvent = [](const std::string& topic) {
        return topic.starts_with("lockhub/lock") && topic.ends_with("/event");
    };
    const std::size_t before = hub.probe().tally(isEvent).count;
    std::optional<Clock::time_point> first;
    for (int i = 1; i <= locks; ++i) {
        const auto burst =
            json::parse(hub.ctl({"burst", "lock" + std::to_string(i), std::to_string(perLock)}));
        const auto emitted = Clock::time_point(
            std::chrono::microseconds(burst["emitted_usec"][0].get<std::int64_t>()));
        first = first ? std::min(*first, emitted) : emitted;
    }
    const std::size_t total = static_cast<std::size_t>(locks) * static_cast<std::size_t>(perLock);
    Clock::time_point last;
    // Polled rarely, so the subscriber's own counting does not compete with the hub for the CPU.
    const bool all = lockhub::testing::waitUntil(
        [&] {
            const auto tally = hub.probe().tally(isEvent);
            last = tally.last;
            return tally.count >= before + total;
        },
        120s, 50ms);
    BenchHub::need(all, "not every record reached the subscriber");
    const double seconds = std::chrono::duration<double>(last - *first).count();
    std::printf(
        "%2d lock(s) x %4d records: %7.0f durable events/s (%zu in %.2f s); RSS %ld KiB "
        "online, %ld KiB after\n",
        locks, perLock, static_cast<double>(total) / seconds, total, seconds, rssOnline,
        hub.daemonRssKiB());
}

}  // namespace

int main(int argc, char** argv) {
    const int total = argc > 1 ? std::atoi(argv[1]) : 10000;
    try {
        for (int locks : {1, 10, 32}) {
            run(locks, std::max(1, total / locks));
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "hub throughput benchmark failed: %s\n", e.what());
        return 1;
    }
    return 0;
}
