#include "SimBluez.h"

#include <sdbus-c++/sdbus-c++.h>
#include <signal.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace lockhub::adapters::bluez::test {

SimBluez::SimBluez(std::vector<std::string> args)
    : bus_(std::make_unique<testing::PrivateBus>(dir_.path())),
      address_(bus_->address()),
      args_(std::move(args)) {
    start();
}

SimBluez::~SimBluez() {
    stop();
}

void SimBluez::stopBus() {
    bus_.reset();
    if (process_) {
        process_->waitExit(std::chrono::seconds(5));  // the sim exits when its bus fails
        process_.reset();
    }
}

void SimBluez::startBus() {
    bus_ = std::make_unique<testing::PrivateBus>(dir_.path());
    start();
}

void SimBluez::start() {
    std::vector<std::string> argv{LOCKHUB_SIM_BINARY, "--bus", address_, "--credentials",
                                  (dir_.path() / "locks.json").string()};
    argv.insert(argv.end(), args_.begin(), args_.end());
    process_ = std::make_unique<testing::Process>("lockhub-sim-" + std::to_string(++runs_), argv,
                                                  dir_.path());
    const bool ready = testing::waitUntil(
        [&] {
            return process_->stdoutText().find("lockhub-sim ready") != std::string::npos ||
                   !process_->running();
        },
        std::chrono::seconds(10));
    if (!ready || !process_->running()) {
        throw std::runtime_error("lockhub-sim did not start: " + testing::describe(*process_));
    }
}

void SimBluez::stop(int signo) {
    if (process_) {
        process_->signal(signo);
        process_->waitExit(std::chrono::seconds(5));
        process_.reset();
    }
}

std::string SimBluez::ctl(const std::vector<std::string>& command) {
    std::vector<std::string> argv{LOCKHUB_SIM_BINARY, "ctl", "--bus", address_};
    argv.insert(argv.end(), command.begin(), command.end());
    testing::Process process("ctl-" + std::to_string(++ctlRuns_), argv, dir_.path());
    const auto status = process.waitExit(std::chrono::seconds(10));
    if (!status || !status->exited || status->code != 0) {
        throw std::runtime_error("lockhub-sim ctl " + command.at(0) +
                                 " failed: " + testing::describe(process));
    }
    return process.stdoutText();
}

bool SimBluez::adapterDiscovering() const {
    auto connection = sdbus::createSessionBusConnectionWithAddress(address_);
    auto adapter = sdbus::createProxy(*connection, "org.bluez", "/org/bluez/hci0");
    return adapter->getProperty("Discovering").onInterface("org.bluez.Adapter1").get<bool>();
}

void SimBluez::setPowered(bool powered) const {
    auto connection = sdbus::createSessionBusConnectionWithAddress(address_);
    auto adapter = sdbus::createProxy(*connection, "org.bluez", "/org/bluez/hci0");
    adapter->setProperty("Powered").onInterface("org.bluez.Adapter1").toValue(powered);
}

std::vector<SimLock> SimBluez::locks() const {
    std::ifstream in(dir_.path() / "locks.json");
    if (!in) {
        throw std::runtime_error("no credentials file from lockhub-sim");
    }
    const auto json = nlohmann::json::parse(in);
    std::vector<SimLock> out;
    for (const auto& lock : json.at("locks")) {
        SimLock entry;
        entry.name = lock.at("name").get<std::string>();
        entry.mac = lock.at("mac").get<std::string>();
        entry.productId = lock.at("product_id").get<std::string>();
        entry.protocol = lock.at("protocol").get<int>();
        const auto localKey = lock.at("local_key").get<std::string>();
        entry.session.uuid = lock.at("uuid").get<std::string>();
        entry.session.loginKey = SecretString(localKey.substr(0, 6));
        entry.session.deviceId = lock.at("device_id").get<std::string>();
        entry.session.version = entry.protocol == 4 ? protocol::tuya::ProtocolVersion::V4
                                                    : protocol::tuya::ProtocolVersion::V3;
        out.push_back(std::move(entry));
    }
    return out;
}

}  // namespace lockhub::adapters::bluez::test
