// The same-run baselines (b) and (c) of issue 13, on a hub of their own (lockhubd runs, because the
// lock sends only over a session and the next record only after an ack):
//  - (b) NaiveRelay carrying the lock's notifications: for single records, the sim's emit stamp →
//    the last line the relay delivered for that record, next to lockhubd's `<lock>/event` for the
//    very same record; then a 10-lock backlog, delivered records/s (first emitted → last relayed
//    line), at the pace lockhubd's acks set;
//  - (c) mosquitto_pub → mosquitto_sub on the same broker (StockMqtt).
// Prints "<key> <value>" lines for scripts/bench.
#include <algorithm>
#include <cstdlib>
#include <thread>

#include "BenchHub.h"
#include "NaiveRelay.h"
#include "StockMqtt.h"

using namespace lockhub::bench;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const auto kAnyTopic = [](const std::string&) { return true; };

void singleRecords(int samples) {
    BenchHub hub({.locks = 1});
    NaiveRelay relay(hub.dir(), hub.busAddress(), hub.broker().port(), hub.notifyPaths());
    std::vector<double> relayed;
    std::vector<double> hubbed;
    std::vector<double> notifications;
    std::vector<double> lines;
    for (int k = 0; k < samples; ++k) {
        const auto before = hub.probe().messagesOn("lockhub/lock1/event").size();
        relay.probe().clear();
        const auto burst = json::parse(hub.ctl({"burst", "lock1", "1"}));
        const auto emitted = Clock::time_point(
            std::chrono::microseconds(burst["emitted_usec"][0].get<std::int64_t>()));
        auto event = hub.probe().waitFor("lockhub/lock1/event", 10s, nullptr, before);
        BenchHub::need(event.has_value(), "no event");
        // Whatever the relay carries for one record has arrived long before the next sample.
        std::this_thread::sleep_for(100ms);
        const auto carried = relay.probe().messages();
        const auto signals = std::count_if(carried.begin(), carried.end(), [](const auto& m) {
            return NaiveRelay::startsNotification(m.payload);
        });
        BenchHub::need(signals > 0, "the relay carried nothing");
        relayed.push_back(
            std::chrono::duration<double, std::milli>(carried.back().at - emitted).count());
        hubbed.push_back(std::chrono::duration<double, std::milli>(event->at - emitted).count());
        notifications.push_back(static_cast<double>(signals));
        lines.push_back(static_cast<double>(carried.size()) / static_cast<double>(signals));
    }
    const auto r = stats(relayed);
    const auto h = stats(hubbed);
    report("relay_latency_median_ms", r.median);
    report("relay_latency_p99_ms", r.p99);
    report("relay_hub_event_median_ms", h.median);
    report("relay_hub_event_p99_ms", h.p99);
    report("relay_notifications_per_record", stats(notifications).median);
    report("relay_lines_per_notification", stats(lines).median);

    const auto stock = measureStockMqtt(hub.dir(), hub.broker().port(), 200, 10000);
    report("stock_latency_median_ms", stock.latencyMs.median);
    report("stock_latency_p99_ms", stock.latencyMs.p99);
    report("stock_messages_per_s", stock.messagesPerSecond);
}

void backlog(int locks, int records) {
    BenchHub hub({.locks = locks});
    NaiveRelay relay(hub.dir(), hub.busAddress(), hub.broker().port(), hub.notifyPaths());
    const auto figures = hub.burst(records / locks);
    // The relay has no notion of a record: it is done when its output stops growing.
    std::size_t seen = 0;
    for (;;) {
        std::this_thread::sleep_for(1s);
        const auto now = relay.probe().tally(kAnyTopic).count;
        if (now == seen) {
            break;
        }
        seen = now;
    }
    const auto carried = relay.probe().tally(kAnyTopic);
    report("relay_events_per_s",
           static_cast<double>(figures.records) /
               std::chrono::duration<double>(carried.last - figures.firstEmitted).count());
    report("relay_lines_per_s",
           static_cast<double>(carried.count) /
               std::chrono::duration<double>(carried.last - figures.firstEmitted).count());
    report("relay_hub_events_per_s", figures.perSecond());
}

}  // namespace

int main(int argc, char** argv) {
    const int samples = argc > 1 ? std::atoi(argv[1]) : 40;
    const int records = argc > 2 ? std::atoi(argv[2]) : 10000;
    try {
        singleRecords(samples);
        backlog(10, records);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "baselines failed: %s\n", e.what());
        return 1;
    }
    return 0;
}
