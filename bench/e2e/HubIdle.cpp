// lockhubd at rest with 10 paired, connected locks (`always`): CPU time over a window (60 s by
// default) as a share of one core, from /proc/<pid>/stat utime + stime (all threads), and how
// often its threads woke: the context switches of the main thread, which runs the event loop
// (sd-event), and of all threads together (Paho's run in their own). A busy loop, a timer armed
// too often or a poll would show in both.
// Prints "<key> <value>" lines for scripts/bench.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "BenchHub.h"

using namespace lockhub::bench;
using namespace std::chrono_literals;

namespace {

long switches(const std::filesystem::path& status) {
    std::ifstream in(status);
    long total = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with("voluntary_ctxt_switches:") ||
            line.starts_with("nonvoluntary_ctxt_switches:")) {
            total += std::stol(line.substr(line.find(':') + 1));
        }
    }
    return total;
}

struct Sample {
    Clock::time_point at;
    double cpuSeconds;
    long mainSwitches;
    long allSwitches;
    int threads;
};

Sample sample(int pid) {
    const std::filesystem::path proc = "/proc/" + std::to_string(pid);
    Sample s{Clock::now(), daemonCpuSeconds(pid),
             switches(proc / "task" / std::to_string(pid) / "status"), 0, 0};
    for (const auto& task : std::filesystem::directory_iterator(proc / "task")) {
        s.allSwitches += switches(task.path() / "status");
        ++s.threads;
    }
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    const int seconds = argc > 1 ? std::atoi(argv[1]) : 60;
    try {
        BenchHub hub({.locks = 10});
        // Let the pairing's follow-ups (state reads, retained messages) settle first.
        std::this_thread::sleep_for(5s);
        const auto start = sample(hub.daemonPid());
        std::this_thread::sleep_for(std::chrono::seconds(seconds));
        const auto end = sample(hub.daemonPid());
        const double elapsed = std::chrono::duration<double>(end.at - start.at).count();
        const double cpu = end.cpuSeconds - start.cpuSeconds;
        report("idle_seconds", elapsed);
        report("idle_cpu_percent", 100.0 * cpu / elapsed);
        report("idle_loop_wakeups_per_s",
               static_cast<double>(end.mainSwitches - start.mainSwitches) / elapsed);
        report("idle_all_wakeups_per_s",
               static_cast<double>(end.allSwitches - start.allSwitches) / elapsed);
        report("idle_threads", end.threads);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "idle benchmark failed: %s\n", e.what());
        return 1;
    }
    return 0;
}
