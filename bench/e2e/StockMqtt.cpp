#include "StockMqtt.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/Process.h"

using namespace std::chrono_literals;

namespace lockhub::bench {
namespace {

constexpr const char* kTopic = "bench/stock";

// mosquitto_sub's %U is CLOCK_REALTIME, so the payloads carry the same clock.
std::int64_t realtimeNs() {
    timespec now{};
    ::clock_gettime(CLOCK_REALTIME, &now);
    return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// "<seconds>.<nanoseconds>" without going through a double, which would round the nanoseconds.
std::int64_t parseUnixNs(const std::string& text) {
    const auto dot = text.find('.');
    return std::stoll(text.substr(0, dot)) * 1'000'000'000 + std::stoll(text.substr(dot + 1));
}

void writeLine(int fd, const std::string& line) {
    BenchHub::need(::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()),
                   "cannot write to mosquitto_pub");
}

}  // namespace

StockMqttFigures measureStockMqtt(const std::filesystem::path& dir, std::uint16_t brokerPort,
                                  int samples, int burst) {
    const auto port = std::to_string(brokerPort);
    testing::Process subscriber("stock-sub",
                                {"mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-q", "1", "-t",
                                 kTopic, "-C", std::to_string(samples + burst), "-F", "%U %p"},
                                dir);
    const auto fifo = dir / "stock.fifo";
    BenchHub::need(::mkfifo(fifo.c_str(), 0600) == 0, "cannot create " + fifo.string());
    testing::Process publisher("stock-pub",
                               {"/bin/sh", "-c", "exec mosquitto_pub \"$@\" <\"$0\"", fifo.string(),
                                "-h", "127.0.0.1", "-p", port, "-q", "1", "-t", kTopic, "-l"},
                               dir);
    // Opened without blocking, so a publisher that failed to start is an error, not a hang.
    int fd = -1;
    testing::waitUntil(
        [&] { return (fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC)) >= 0; }, 10s);
    BenchHub::need(fd >= 0,
                   "mosquitto_pub did not open " + fifo.string() + ": " + publisher.stderrText());
    ::fcntl(fd, F_SETFL, 0);
    // mosquitto_sub says nothing when its subscription is in place (its stdout is a file, so
    // buffered); both clients connect within a few milliseconds on loopback.
    std::this_thread::sleep_for(500ms);
    for (int i = 0; i < samples; ++i) {
        writeLine(fd, std::to_string(realtimeNs()) + "\n");
        std::this_thread::sleep_for(5ms);
    }
    std::string lines;
    const auto burstSent = realtimeNs();
    for (int i = 0; i < burst; ++i) {
        lines += std::to_string(burstSent) + "\n";
    }
    writeLine(fd, lines);
    ::close(fd);
    const auto status = subscriber.waitExit(60s);
    BenchHub::need(status && status->exited && status->code == 0,
                   "mosquitto_sub did not receive every message: " + subscriber.stderrText());
    publisher.waitExit(5s);

    std::istringstream out(subscriber.stdoutText());
    std::vector<double> latencies;
    std::int64_t lastReceived = 0;
    std::string received;
    std::string sent;
    for (int i = 0; out >> received >> sent; ++i) {
        const auto at = parseUnixNs(received);
        if (i < samples) {
            latencies.push_back(static_cast<double>(at - std::stoll(sent)) / 1e6);
        } else {
            lastReceived = std::max(lastReceived, at);
        }
    }
    BenchHub::need(
        latencies.size() == static_cast<std::size_t>(samples) && lastReceived > burstSent,
        "mosquitto_sub's output is incomplete");
    return {stats(latencies),
            static_cast<double>(burst) / (static_cast<double>(lastReceived - burstSent) / 1e9)};
}

}  // namespace lockhub::bench
