// A real mosquitto broker on 127.0.0.1 and a random free port, private to one test.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "support/Process.h"

namespace lockhub::testing {

class Mosquitto {
public:
    struct Options {
        // When set, anonymous clients are refused and only this user may connect.
        std::string username;
        std::string password;
        // Sessions, subscriptions and the QoS 1 messages queued for a disconnected client survive
        // stop() and start(), as on a broker configured with persistence.
        bool persistent = false;
    };

    explicit Mosquitto(const std::filesystem::path& workDir) : Mosquitto(workDir, Options{}) {}
    Mosquitto(const std::filesystem::path& workDir, const Options& options);
    ~Mosquitto();

    std::uint16_t port() const { return port_; }
    std::string uri() const { return "tcp://127.0.0.1:" + std::to_string(port_); }

    void stop();
    // Starts again on the same port, as a broker restarted by its operator would.
    void start();
    std::string log() const;

private:
    std::filesystem::path dir_;
    std::uint16_t port_;
    std::unique_ptr<Process> process_;
    int generation_ = 0;
};

}  // namespace lockhub::testing
