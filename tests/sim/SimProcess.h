// A real lockhub-sim on a private dbus-daemon, plus a D-Bus client for tests: one connection with
// its own event-loop thread records every signal org.bluez emits, another makes plain synchronous
// calls (BlueZ and org.lockhub.Sim1).
#pragma once

#include <sdbus-c++/sdbus-c++.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "support/PrivateBus.h"
#include "support/Process.h"
#include "support/TempDir.h"

namespace lockhub::sim::test {

using Variants = std::map<std::string, sdbus::Variant>;
using ManagedObjects = std::map<sdbus::ObjectPath, std::map<std::string, Variants>>;

struct Signal {
    std::string member;  // InterfacesAdded, InterfacesRemoved, PropertiesChanged
    std::string path;    // the object the signal is about
    std::string interface;
    Variants changed;                          // PropertiesChanged
    std::vector<std::string> names;            // InterfacesAdded/Removed: interface names
    std::chrono::steady_clock::time_point at;  // when the test received it
};

class SimProcess {
public:
    explicit SimProcess(std::vector<std::string> extraArgs = {"--locks", "2", "--seed", "7"});
    ~SimProcess();

    const std::string& address() const { return bus_->address(); }
    const std::filesystem::path& credentialsFile() const { return credentials_; }
    bool running() { return process_->running(); }
    std::string output() const;

    // Synchronous call on org.bluez; throws sdbus::Error on an error reply.
    template <typename... Args>
    sdbus::MethodReply call(const std::string& path, const std::string& interface,
                            const std::string& method, const Args&... args) {
        auto& target = proxy("org.bluez", path);
        auto message = target.createMethodCall(interface, method);
        if constexpr (sizeof...(Args) > 0) {
            (message << ... << args);
        }
        return target.callMethod(message, 5'000'000);
    }
    template <typename... Args>
    sdbus::MethodReply sim(const std::string& method, const Args&... args) {
        auto& target = proxy("org.lockhub.Sim", "/org/lockhub/Sim");
        auto message = target.createMethodCall("org.lockhub.Sim1", method);
        if constexpr (sizeof...(Args) > 0) {
            (message << ... << args);
        }
        return target.callMethod(message, 5'000'000);
    }
    // The D-Bus error name a call fails with, or "" if it succeeds.
    template <typename Fn>
    static std::string errorOf(Fn&& fn) {
        try {
            fn();
        } catch (const sdbus::Error& e) {
            return e.getName();
        }
        return "";
    }

    ManagedObjects managedObjects();
    sdbus::Variant property(const std::string& path, const std::string& interface,
                            const std::string& name);
    std::string busctl(const std::string& arguments) const;

    // Signals seen so far (thread-safe); waitFor polls until `predicate(signals)` holds.
    std::vector<Signal> signals();
    // Signals from index `first` on (cheap for long runs); signalCount() is the next index.
    std::vector<Signal> signalsSince(std::size_t first);
    std::size_t signalCount();
    bool waitFor(const std::function<bool(const std::vector<Signal>&)>& predicate,
                 std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));
    void clearSignals();

    // Device paths of the locks in the credentials file, in file order.
    std::string devicePath(const std::string& mac) const;
    // StartDiscovery and wait until every `macs` device was announced.
    void discover(const std::vector<std::string>& macs);

private:
    sdbus::IProxy& proxy(const std::string& destination, const std::string& path);

    testing::TempDir dir_;
    std::unique_ptr<testing::PrivateBus> bus_;
    std::filesystem::path credentials_;
    std::unique_ptr<testing::Process> process_;
    std::unique_ptr<sdbus::IConnection> signalsConnection_;
    std::unique_ptr<sdbus::IConnection> callsConnection_;
    sdbus::Slot match_;
    std::map<std::pair<std::string, std::string>, std::unique_ptr<sdbus::IProxy>> proxies_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Signal> signals_;
};

}  // namespace lockhub::sim::test
