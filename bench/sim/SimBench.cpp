// Floor figures for the daemon (issue 4): what one protocol round trip and one acknowledged record
// cost through D-Bus and lockhub-sim with zero added radio delay. The hub side is
// protocol::tuya::HubSession driven synchronously from this thread (tests/sim/HubLink).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <memory>

#include "tests/sim/HubLink.h"

namespace {

using namespace lockhub;
using namespace lockhub::sim;
using Clock = std::chrono::steady_clock;

struct Rig {
    Rig() : sim({"--locks", "1", "--seed", "1"}) {
        const auto locks = test::readCredentials(sim.credentialsFile());
        name = locks[0].name;
        sim.discover({locks[0].mac});
        link = std::make_unique<test::HubLink>(sim, locks[0].identity);
        if (!link->connect() || !link->handshake()) {
            throw std::runtime_error("handshake with lockhub-sim failed");
        }
    }
    test::SimProcess sim;
    std::string name;
    std::unique_ptr<test::HubLink> link;
};

Rig& rig() {
    static Rig instance;
    return instance;
}

double percentile(std::vector<double> samples, double p) {
    std::sort(samples.begin(), samples.end());
    const auto index = static_cast<std::size_t>(p * static_cast<double>(samples.size() - 1));
    return samples[index];
}

// One DP write (DP 64, which the lock answers without a report) from HubSession::writeDps to the
// CommandDone its reply produces: encrypt, WriteValue, lock decrypt + answer, PropertiesChanged,
// hub decrypt.
void WriteNotifyRoundTrip(benchmark::State& state) {
    auto& r = rig();
    const std::vector<Dp> write{Dp::string(dp::kOfflineT0, "1589251799")};
    std::vector<double> samples;
    for (auto _ : state) {
        const auto done = r.link->count<protocol::tuya::CommandDone>();
        const auto start = Clock::now();
        r.link->write(write);
        if (!r.link->pumpUntil(
                [&] { return r.link->count<protocol::tuya::CommandDone>() == done + 1; })) {
            state.SkipWithError("no reply");
            return;
        }
        const std::chrono::duration<double> elapsed = Clock::now() - start;
        state.SetIterationTime(elapsed.count());
        samples.push_back(elapsed.count() * 1e6);
    }
    state.counters["median_us"] = percentile(samples, 0.5);
    state.counters["p99_us"] = percentile(samples, 0.99);
}
BENCHMARK(WriteNotifyRoundTrip)->UseManualTime()->Unit(benchmark::kMicrosecond)->Iterations(1000);

// Burst of N records emitted at once by the lock: each travels as its own report and the next
// leaves only after the hub's ack (one in flight, as the firmware does), so this is the ceiling
// for the daemon's record throughput.
void BurstRecords(benchmark::State& state) {
    auto& r = rig();
    const auto count = static_cast<std::uint32_t>(state.range(0));
    for (auto _ : state) {
        const auto before = r.link->recordCount();
        const auto start = Clock::now();
        r.sim.sim("Burst", r.name, count);
        if (!r.link->pumpUntil([&] { return r.link->recordCount() == before + count; },
                               std::chrono::seconds(60))) {
            state.SkipWithError("records missing");
            return;
        }
        const std::chrono::duration<double> elapsed = Clock::now() - start;
        state.SetIterationTime(elapsed.count());
    }
    state.counters["records_per_s"] = benchmark::Counter(
        static_cast<double>(count), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BurstRecords)->Arg(1000)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
