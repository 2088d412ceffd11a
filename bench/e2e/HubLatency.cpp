// End-to-end latency of the hub against lockhub-sim, for 1 and 10 locks:
//  - event: the simulated lock emits a record (the sim's CLOCK_MONOTONIC stamp) → an MQTT
//    subscriber receives `<lock>/event`;
//  - command: an MQTT subscriber publishes `<lock>/set` UNLOCK → it receives `<lock>/set/result`
//    (the lock has executed the write and acknowledged it).
// Prints medians and p99 in milliseconds. The same run's D-Bus floor comes from
// lockhub_bench_sim (write→notify through the sim); scripts/bench prints both.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>
#include <vector>

#include "support/Mosquitto.h"
#include "support/MqttProbe.h"
#include "support/PrivateBus.h"
#include "support/Process.h"
#include "support/TempDir.h"

using namespace lockhub::testing;
using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

struct Hub {
    TempDir dir;
    PrivateBus bus{dir.path()};
    Mosquitto broker{dir.path()};
    std::unique_ptr<Process> sim;
    std::unique_ptr<Process> daemon;
    std::unique_ptr<MqttProbe> probe;
    int calls = 0;

    explicit Hub(int locks) {
        sim = std::make_unique<Process>(
            "sim",
            std::vector<std::string>{LOCKHUB_SIM_PATH, "--bus", bus.address(), "--locks",
                                     std::to_string(locks), "--seed", "11", "--known",
                                     "--credentials", (dir.path() / "locks.json").string()},
            dir.path());
        need(waitUntil([&] { return sim->stdoutText().find("ready") != std::string::npos; }, 10s),
             "lockhub-sim did not start");
        probe = std::make_unique<MqttProbe>(broker.uri(), "lockhub/#");
        const json config = {{"log_level", "warning"},
                             {"profiles_dir", LOCKHUB_PROFILES_DIR},
                             {"mqtt", {{"port", broker.port()}}},
                             {"bluetooth", {{"bus", bus.address()}, {"max_connections", 32}}},
                             {"locks", {{"policy", "always"}}}};
        std::ofstream(dir.path() / "lockhubd.json") << config.dump();
        daemon = std::make_unique<Process>(
            "lockhubd",
            std::vector<std::string>{LOCKHUBD_PATH, "--config",
                                     (dir.path() / "lockhubd.json").string(), "--state-dir",
                                     (dir.path() / "state").string()},
            dir.path());
        need(!!probe->waitFor("lockhub/bridge/state", 10s,
                              [](const auto& m) { return m.payload == "online"; }),
             "lockhubd did not come online");
        const auto credentials = json::parse(readFile(dir.path() / "locks.json"))["locks"];
        for (std::size_t i = 0; i < credentials.size(); ++i) {
            auto body = credentials[i];
            body.erase("adapter");
            body.erase("gatt");
            body["lock"] = "lock" + std::to_string(i + 1);
            const auto before = probe->messagesOn("lockhub/bridge/response/lock/pair").size();
            probe->publish("lockhub/bridge/request/lock/pair", body.dump());
            auto reply = probe->waitFor("lockhub/bridge/response/lock/pair", 30s, nullptr, before);
            need(reply && reply->payload.find("\"status\":\"ok\"") != std::string::npos,
                 "pairing failed: " + (reply ? reply->payload : std::string("no answer")));
            need(!!probe->waitFor("lockhub/" + body["lock"].get<std::string>() + "/availability",
                                  20s, [](const auto& m) { return m.payload == "online"; }),
                 "lock did not come online");
        }
    }

    std::string ctl(const std::vector<std::string>& args) {
        std::vector<std::string> argv{LOCKHUB_SIM_PATH, "ctl", "--bus", bus.address()};
        argv.insert(argv.end(), args.begin(), args.end());
        Process p("ctl" + std::to_string(calls++), argv, dir.path());
        auto status = p.waitExit(10s);
        need(status && status->exited && status->code == 0, "ctl failed: " + p.stderrText());
        return p.stdoutText();
    }

    static void need(bool ok, const std::string& what) {
        if (!ok) {
            throw std::runtime_error(what);
        }
    }
};

struct Stats {
    double median;
    double p99;
};

Stats stats(std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    const auto at = [&](double q) {
        return ms[std::min(ms.size() - 1,
                           static_cast<std::size_t>(q * static_cast<double>(ms.size())))];
    };
    return {at(0.5), at(0.99)};
}

void run(int locks, int samples) {
    Hub hub(locks);
    std::vector<double> events;
    std::vector<double> commands;
    // Records with the same DP, value and lock second are one record replayed (design §3), so a
    // lock's bursts are spaced a little over a second apart.
    std::vector<Clock::time_point> lastBurst(static_cast<std::size_t>(locks));
    for (int k = 0; k < samples; ++k) {
        const auto index = static_cast<std::size_t>(k % locks);
        std::this_thread::sleep_until(lastBurst[index] + 1100ms);
        lastBurst[index] = Clock::now();
        const std::string lock = "lock" + std::to_string(index + 1);
        const std::string topic = "lockhub/" + lock + "/event";
        const auto before = hub.probe->messagesOn(topic).size();
        const auto burst = json::parse(hub.ctl({"burst", lock, "1"}));
        const auto emitted = Clock::time_point(
            std::chrono::microseconds(burst["emitted_usec"][0].get<std::int64_t>()));
        auto event = hub.probe->waitFor(topic, 10s, nullptr, before);
        Hub::need(event.has_value(), "no event for " + lock);
        events.push_back(std::chrono::duration<double, std::milli>(event->at - emitted).count());

        const std::string set = "lockhub/" + lock + "/set";
        // The probe has just acknowledged the event (a small PUBACK); sent at once, the command
        // would wait in the probe's own socket for the broker's delayed ACK (Nagle, ~40 ms),
        // which measures Paho's client, not the hub.
        std::this_thread::sleep_for(100ms);
        const auto results = hub.probe->messagesOn(set + "/result").size();
        const auto sent = Clock::now();
        hub.probe->publish(set, k % 2 == 0 ? "UNLOCK" : "LOCK");
        auto result = hub.probe->waitFor(set + "/result", 10s, nullptr, results);
        Hub::need(result.has_value(), "no command result for " + lock);
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
