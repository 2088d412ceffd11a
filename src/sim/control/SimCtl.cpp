#include "sim/control/SimCtl.h"

#include <sdbus-c++/sdbus-c++.h>

#include <charconv>
#include <cstdint>
#include <functional>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "sim/control/SimControl.h"

namespace lockhub::sim {
namespace {

constexpr const char* kUsage =
    "usage: lockhub-sim ctl [--bus ADDRESS] COMMAND [ARGS]\n"
    "  list                      locks and their credentials (JSON)\n"
    "  add [JSON]                add a lock (overrides: name, mac, product_id, uuid, ...)\n"
    "  remove LOCK\n"
    "  keypad LOCK DIGITS        type digits on the keypad (prints the outcome as JSON)\n"
    "  fingerprint LOCK N        touch enrolled finger with hardware id N (while the lock\n"
    "                            enrols a fingerprint: one enrolment touch, N ignored)\n"
    "  card LOCK N               swipe card with hardware id N (or the card being enrolled)\n"
    "  key LOCK                  turn the mechanical key\n"
    "  bolt LOCK                 throw the bolt (lock from inside)\n"
    "  alarm LOCK X              raise alarm X (0-12, DP 21)\n"
    "  hijack LOCK | doorbell LOCK | request LOCK\n"
    "  battery LOCK PERCENT\n"
    "  rssi LOCK DBM             advertised signal strength (-120..0, jitters ±3)\n"
    "  skew LOCK SECONDS         shift the lock's clock\n"
    "  time LOCK UNIX_SECONDS    set the lock's clock\n"
    "  drop LOCK                 break the BLE link\n"
    "  out-of-range LOCK | in-range LOCK\n"
    "  refuse-discovery ERROR|off StartDiscovery answers org.bluez.Error.ERROR (InProgress, ...)\n"
    "  discovery-starts          when each StartDiscovery arrived (CLOCK_MONOTONIC µs, JSON)\n"
    "  burst LOCK N              replay a backlog of N unlock records, one per lock second (JSON)\n"
    "  acked LOCK                records the lock deleted on a hub's ack, in ack order (JSON)\n"
    "  inspect LOCK              lock-side state (JSON)\n";

struct Command {
    std::size_t arity;  // arguments after the command name
    std::function<void(sdbus::IProxy&, const std::vector<std::string>&)> run;
};

template <typename T>
T parseNumber(const std::string& text) {
    T value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) {
        throw std::invalid_argument("not a number: " + text);
    }
    return value;
}

template <typename... Args>
sdbus::MethodReply call(sdbus::IProxy& proxy, const std::string& method, const Args&... args) {
    auto message = proxy.createMethodCall(kSimInterface, method);
    if constexpr (sizeof...(Args) > 0) {
        (message << ... << args);
    }
    return proxy.callMethod(message);
}

void printString(sdbus::MethodReply reply) {
    std::string result;
    reply >> result;
    std::cout << result << "\n";
}

Command onLock(const char* method) {
    return {1, [method](sdbus::IProxy& p, const auto& a) { call(p, method, a[0]); }};
}

Command onLockWithU32(const char* method) {
    return {2, [method](sdbus::IProxy& p, const auto& a) {
                call(p, method, a[0], parseNumber<std::uint32_t>(a[1]));
            }};
}

const std::map<std::string, Command>& commands() {
    static const std::map<std::string, Command> table = {
        {"list", {0, [](sdbus::IProxy& p, const auto&) { printString(call(p, "ListLocks")); }}},
        {"remove", onLock("RemoveLock")},
        {"keypad",
         {2, [](sdbus::IProxy& p, const auto& a) { printString(call(p, "Keypad", a[0], a[1])); }}},
        {"fingerprint", onLockWithU32("Fingerprint")},
        {"card", onLockWithU32("Card")},
        {"key", onLock("MechanicalKey")},
        {"bolt", onLock("LockBolt")},
        {"alarm", onLockWithU32("Alarm")},
        {"hijack", onLock("Hijack")},
        {"doorbell", onLock("Doorbell")},
        {"request", onLock("RemoteUnlockRequest")},
        {"battery",
         {2, [](sdbus::IProxy& p,
                const auto& a) { call(p, "SetBattery", a[0], parseNumber<std::int32_t>(a[1])); }}},
        {"rssi",
         {2, [](sdbus::IProxy& p,
                const auto& a) { call(p, "SetRssi", a[0], parseNumber<std::int16_t>(a[1])); }}},
        {"skew",
         {2,
          [](sdbus::IProxy& p, const auto& a) {
              call(p, "SetClockSkew", a[0], parseNumber<std::int64_t>(a[1]));
          }}},
        {"time",
         {2, [](sdbus::IProxy& p,
                const auto& a) { call(p, "SetLockTime", a[0], parseNumber<std::int64_t>(a[1])); }}},
        {"drop",
         {1,
          [](sdbus::IProxy& p, const auto& a) {
              bool was = false;
              call(p, "DropConnection", a[0]) >> was;
              std::cout << (was ? "dropped" : "not connected") << "\n";
          }}},
        {"out-of-range",
         {1, [](sdbus::IProxy& p, const auto& a) { call(p, "SetInRange", a[0], false); }}},
        {"in-range",
         {1, [](sdbus::IProxy& p, const auto& a) { call(p, "SetInRange", a[0], true); }}},
        {"refuse-discovery",
         {1,
          [](sdbus::IProxy& p, const auto& a) {
              call(p, "SetDiscoveryRefusal", a[0] == "off" ? std::string() : a[0]);
          }}},
        {"discovery-starts",
         {0,
          [](sdbus::IProxy& p, const auto&) {
              std::vector<std::int64_t> times;
              auto reply = call(p, "DiscoveryStarts");
              reply >> times;
              std::cout << nlohmann::json(times).dump() << "\n";
          }}},
        {"burst",
         {2,
          [](sdbus::IProxy& p, const auto& a) {
              printString(call(p, "Burst", a[0], parseNumber<std::uint32_t>(a[1])));
          }}},
        {"acked",
         {1, [](sdbus::IProxy& p, const auto& a) { printString(call(p, "AckedRecords", a[0])); }}},
        {"inspect",
         {1, [](sdbus::IProxy& p, const auto& a) { printString(call(p, "Inspect", a[0])); }}},
    };
    return table;
}

}  // namespace

int runCtl(const std::vector<std::string>& argsIn) {
    std::vector<std::string> args = argsIn;
    std::string bus;
    if (args.size() >= 2 && args[0] == "--bus") {
        bus = args[1];
        args.erase(args.begin(), args.begin() + 2);
    }
    if (args.empty()) {
        std::cerr << kUsage;
        return 2;
    }
    const std::string name = args[0];
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    const bool add = name == "add";
    const auto found = commands().find(name);
    if (!add && (found == commands().end() || rest.size() != found->second.arity)) {
        std::cerr << kUsage;
        return 2;
    }
    if (add && rest.size() > 1) {
        std::cerr << kUsage;
        return 2;
    }
    try {
        auto connection = bus.empty() ? sdbus::createSystemBusConnection()
                                      : sdbus::createSessionBusConnectionWithAddress(bus);
        auto proxy = sdbus::createProxy(*connection, kSimBusName, kSimObjectPath);
        if (add) {
            printString(call(*proxy, "AddLock", rest.empty() ? std::string() : rest[0]));
        } else {
            found->second.run(*proxy, rest);
        }
        return 0;
    } catch (const sdbus::Error& e) {
        std::cerr << "lockhub-sim ctl: " << e.getName() << ": " << e.getMessage() << "\n";
        return 1;
    } catch (const std::invalid_argument& e) {
        std::cerr << "lockhub-sim ctl: " << e.what() << "\n";
        return 2;
    }
}

}  // namespace lockhub::sim
