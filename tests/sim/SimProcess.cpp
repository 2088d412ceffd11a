#include "tests/sim/SimProcess.h"

#include <algorithm>
#include <array>
#include <csignal>
#include <cstdio>
#include <stdexcept>

namespace lockhub::sim::test {

SimProcess::SimProcess(std::vector<std::string> extraArgs) {
    bus_ = std::make_unique<testing::PrivateBus>(dir_.path());
    credentials_ = dir_.path() / "credentials.json";
    std::vector<std::string> argv = {LOCKHUB_SIM_BINARY, "--bus", bus_->address(), "--credentials",
                                     credentials_.string()};
    argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
    process_ = std::make_unique<testing::Process>("lockhub-sim", argv, dir_.path());
    const bool ready = testing::waitUntil(
        [&] {
            return process_->stdoutText().find("lockhub-sim ready") != std::string::npos ||
                   !process_->running();
        },
        std::chrono::milliseconds(10000));
    if (!ready || !process_->running()) {
        throw std::runtime_error("lockhub-sim did not start: " + process_->stderrText());
    }
    signalsConnection_ = sdbus::createSessionBusConnectionWithAddress(bus_->address());
    callsConnection_ = sdbus::createSessionBusConnectionWithAddress(bus_->address());
    match_ = signalsConnection_->addMatch(
        "type='signal',sender='org.bluez'", [this](sdbus::Message& message) {
            Signal signal;
            signal.at = std::chrono::steady_clock::now();
            signal.member = message.getMemberName();
            try {
                if (signal.member == "PropertiesChanged") {
                    signal.path = message.getPath();
                    std::vector<std::string> invalidated;
                    message >> signal.interface >> signal.changed >> invalidated;
                } else if (signal.member == "InterfacesAdded") {
                    sdbus::ObjectPath path;
                    std::map<std::string, Variants> interfaces;
                    message >> path >> interfaces;
                    signal.path = path;
                    for (const auto& [name, properties] : interfaces) {
                        signal.names.push_back(name);
                    }
                } else if (signal.member == "InterfacesRemoved") {
                    sdbus::ObjectPath path;
                    message >> path >> signal.names;
                    signal.path = path;
                }
            } catch (const sdbus::Error&) {
                signal.member = "Malformed:" + signal.member;
            }
            std::lock_guard lock(mutex_);
            signals_.push_back(std::move(signal));
            changed_.notify_all();
        });
    signalsConnection_->enterEventLoopAsync();
}

SimProcess::~SimProcess() {
    signalsConnection_->leaveEventLoop();
    process_->signal(SIGTERM);
    process_->waitExit(std::chrono::milliseconds(3000));
}

std::string SimProcess::output() const {
    return process_->stdoutText() + process_->stderrText();
}

sdbus::IProxy& SimProcess::proxy(const std::string& destination, const std::string& path) {
    auto& slot = proxies_[{destination, path}];
    if (!slot) {
        slot = sdbus::createProxy(*callsConnection_, destination, path);
    }
    return *slot;
}

ManagedObjects SimProcess::managedObjects() {
    ManagedObjects objects;
    auto reply = call("/", "org.freedesktop.DBus.ObjectManager", "GetManagedObjects");
    reply >> objects;
    return objects;
}

sdbus::Variant SimProcess::property(const std::string& path, const std::string& interface,
                                    const std::string& name) {
    sdbus::Variant value;
    auto reply = call(path, "org.freedesktop.DBus.Properties", "Get", interface, name);
    reply >> value;
    return value;
}

std::string SimProcess::busctl(const std::string& arguments) const {
    const auto command = "busctl --address=" + bus_->address() + " " + arguments + " 2>&1";
    std::string out;
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
        std::array<char, 4096> buffer{};
        while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) {
            out += buffer.data();
        }
        ::pclose(pipe);
    }
    return out;
}

std::vector<Signal> SimProcess::signals() {
    std::lock_guard lock(mutex_);
    return signals_;
}

std::vector<Signal> SimProcess::signalsSince(std::size_t first) {
    std::lock_guard lock(mutex_);
    if (first >= signals_.size()) {
        return {};
    }
    return {signals_.begin() + static_cast<std::ptrdiff_t>(first), signals_.end()};
}

std::size_t SimProcess::signalCount() {
    std::lock_guard lock(mutex_);
    return signals_.size();
}

bool SimProcess::waitFor(const std::function<bool(const std::vector<Signal>&)>& predicate,
                         std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return predicate(signals_); });
}

void SimProcess::clearSignals() {
    std::lock_guard lock(mutex_);
    signals_.clear();
}

std::string SimProcess::devicePath(const std::string& mac) const {
    std::string suffix = mac;
    std::replace(suffix.begin(), suffix.end(), ':', '_');
    return "/org/bluez/hci0/dev_" + suffix;
}

void SimProcess::discover(const std::vector<std::string>& macs) {
    call("/org/bluez/hci0", "org.bluez.Adapter1", "StartDiscovery");
    const bool all = waitFor([&](const std::vector<Signal>& seen) {
        return std::all_of(macs.begin(), macs.end(), [&](const std::string& mac) {
            return std::any_of(seen.begin(), seen.end(), [&](const Signal& s) {
                return s.member == "InterfacesAdded" && s.path == devicePath(mac);
            });
        });
    });
    if (!all) {
        throw std::runtime_error("devices were not discovered");
    }
}

}  // namespace lockhub::sim::test
