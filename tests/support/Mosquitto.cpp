#include "support/Mosquitto.h"

#include <signal.h>

#include <fstream>
#include <stdexcept>

#include "support/Network.h"

namespace lockhub::testing {

Mosquitto::Mosquitto(const std::filesystem::path& workDir, const Options& options)
    : dir_(workDir / "mosquitto"), port_(freeTcpPort()) {
    std::filesystem::create_directories(dir_);
    const bool authenticated = !options.username.empty();
    if (authenticated) {
        Process passwd("mosquitto_passwd",
                       {"mosquitto_passwd", "-c", "-b", (dir_ / "passwd").string(),
                        options.username, options.password},
                       dir_);
        const auto status = passwd.waitExit(std::chrono::seconds(10));
        if (!status || !status->exited || status->code != 0) {
            throw std::runtime_error("mosquitto_passwd failed: " + passwd.stderrText());
        }
    }
    std::ofstream conf(dir_ / "mosquitto.conf");
    // max_queued_messages 0: the default of 1000 silently drops QoS 1 messages to slow
    // subscribers (toolchain reference, gotcha 3); tests must see every message.
    conf << "listener " << port_ << " 127.0.0.1\n"
         << "allow_anonymous " << (authenticated ? "false" : "true") << "\n"
         << "persistence " << (options.persistent ? "true" : "false") << "\n"
         << "log_dest stderr\n"
         << "log_type error\nlog_type warning\nlog_type notice\n"
         << "max_queued_messages 0\n"
         // Without it the broker delays small messages by up to 40 ms (Nagle + delayed ACK).
         << "set_tcp_nodelay true\n"
         << "user root\n";
    if (options.persistent) {
        conf << "persistence_location " << dir_.string() << "/\n";
    }
    if (authenticated) {
        conf << "password_file " << (dir_ / "passwd").string() << "\n";
    }
    conf.close();
    start();
}

Mosquitto::~Mosquitto() {
    stop();
}

void Mosquitto::start() {
    process_ = std::make_unique<Process>(
        "mosquitto" + std::to_string(generation_++),
        std::vector<std::string>{"mosquitto", "-c", (dir_ / "mosquitto.conf").string()}, dir_);
    if (!waitForListener(port_, std::chrono::seconds(10))) {
        throw std::runtime_error("mosquitto did not start on port " + std::to_string(port_) + ": " +
                                 process_->stderrText());
    }
}

void Mosquitto::stop() {
    if (process_) {
        process_->signal(SIGTERM);
        process_->waitExit(std::chrono::seconds(5));
        process_.reset();
    }
}

std::string Mosquitto::log() const {
    return process_ ? process_->stderrText() : std::string();
}

}  // namespace lockhub::testing
