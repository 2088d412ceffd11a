#include "sim/control/SimControl.h"

#include <sdbus-c++/sdbus-c++.h>

#include "sim/bluez/BluezError.h"
#include "sim/control/LockStateJson.h"
#include "sim/host/IdentityJson.h"

namespace lockhub::sim {
namespace {

using nlohmann::json;

constexpr std::uint32_t kMaxBurst = 100000;
constexpr std::int64_t kMaxSkewSeconds = 4'000'000'000;  // keeps the RTC maths far from overflow

[[noreturn]] void throwSim(const char* name, const std::string& message) {
    throw sdbus::Error(std::string("org.lockhub.Sim.Error.") + name, message);
}

void throwIfFailed(const Result<void>& result) {
    if (!result) {
        throwSim(result.error().code == Errc::NotFound ? "UnknownLock" : "InvalidArguments",
                 result.error().message);
    }
}

std::uint8_t hardwareId(std::uint32_t value) {
    if (value > 0xFE) {
        throwSim("InvalidArguments", "hardware id must be 0-254");
    }
    return static_cast<std::uint8_t>(value);
}

std::int64_t monotonicUsec(std::chrono::steady_clock::time_point time) {
    return std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
}

}  // namespace

SimControl::SimControl(sdbus::IConnection& connection, SimHost& host) : host_(host) {
    object_ = sdbus::createObject(connection, kSimObjectPath);
    const std::string iface = kSimInterface;
    object_->registerMethod("AddLock")
        .onInterface(iface)
        .withInputParamNames("config_json")
        .withOutputParamNames("name")
        .implementedAs([this](const std::string& config) {
            const auto parsed = json::parse(config.empty() ? "{}" : config, nullptr, false);
            if (parsed.is_discarded()) {
                throwSim("InvalidArguments", "config is not JSON");
            }
            auto identity = identityFromJson(parsed, host_.nextIdentity());
            if (!identity) {
                throwSim("InvalidArguments", identity.error().message);
            }
            throwIfFailed(host_.addLock(*identity));
            return identity->name;
        });
    object_->registerMethod("RemoveLock")
        .onInterface(iface)
        .withInputParamNames("lock")
        .implementedAs([this](const std::string& name) { throwIfFailed(host_.removeLock(name)); });
    object_->registerMethod("ListLocks")
        .onInterface(iface)
        .withOutputParamNames("locks_json")
        .implementedAs([this] {
            json locks = json::array();
            for (const auto& identity : host_.identities()) {
                locks.push_back(identityToJson(identity));
            }
            return json{{"locks", locks}}.dump();
        });
    object_->registerMethod("Keypad")
        .onInterface(iface)
        .withInputParamNames("lock", "digits")
        .withOutputParamNames("outcome_json")
        .implementedAs([this](const std::string& name, const std::string& digits) {
            const auto outcome =
                lock(name).act([&](LockFirmware& fw, std::int64_t now, FirmwareOutput& out) {
                    return fw.keypad(digits, now, out);
                });
            json result{{"kind", outcome.kind},
                        {"result_code", outcome.resultCode},
                        {"unlocked", outcome.unlocked}};
            result["report_dp"] = outcome.reportDp ? json(*outcome.reportDp) : json(nullptr);
            return result.dump();
        });
    object_->registerMethod("Fingerprint")
        .onInterface(iface)
        .withInputParamNames("lock", "hardware_id")
        .implementedAs([this](const std::string& name, std::uint32_t id) {
            const auto hw = hardwareId(id);
            lock(name).act([&](LockFirmware& fw, std::int64_t now, FirmwareOutput& out) {
                fw.fingerprint(hw, now, out);
            });
        });
    object_->registerMethod("Card")
        .onInterface(iface)
        .withInputParamNames("lock", "hardware_id")
        .implementedAs([this](const std::string& name, std::uint32_t id) {
            const auto hw = hardwareId(id);
            lock(name).act([&](LockFirmware& fw, std::int64_t now, FirmwareOutput& out) {
                fw.card(hw, now, out);
            });
        });
    object_->registerMethod("MechanicalKey")
        .onInterface(iface)
        .withInputParamNames("lock")
        .implementedAs([this](const std::string& name) {
            lock(name).act([](LockFirmware& fw, std::int64_t now, FirmwareOutput& out) {
                fw.mechanicalKey(now, out);
            });
        });
    object_->registerMethod("LockBolt")
        .onInterface(iface)
        .withInputParamNames("lock")
        .implementedAs([this](const std::string& name) {
            lock(name).act(
                [](LockFirmware& fw, std::int64_t, FirmwareOutput& out) { fw.lockMotor(out); });
        });
    object_->registerMethod("Alarm")
        .onInterface(iface)
        .withInputParamNames("lock", "alarm")
        .implementedAs([this](const std::string& name, std::uint32_t alarm) {
            if (alarm > kMaxAlarm) {
                throwSim("InvalidArguments", "alarm must be 0-12");
            }
            lock(name).act([&](LockFirmware& fw, std::int64_t now, FirmwareOutput& out) {
                fw.alarm(static_cast<Alarm>(alarm), now, out);
            });
        });
    object_->registerMethod("Hijack").onInterface(iface).withInputParamNames("lock").implementedAs(
        [this](const std::string& name) {
            lock(name).act([](LockFirmware& fw, std::int64_t now, FirmwareOutput& out) {
                fw.hijack(now, out);
            });
        });
    object_->registerMethod("Doorbell")
        .onInterface(iface)
        .withInputParamNames("lock")
        .implementedAs([this](const std::string& name) {
            lock(name).act([](LockFirmware& fw, std::int64_t now, FirmwareOutput& out) {
                fw.doorbell(now, out);
            });
        });
    object_->registerMethod("RemoteUnlockRequest")
        .onInterface(iface)
        .withInputParamNames("lock")
        .implementedAs([this](const std::string& name) {
            lock(name).act([](LockFirmware& fw, std::int64_t now, FirmwareOutput& out) {
                fw.remoteUnlockRequest(now, out);
            });
        });
    object_->registerMethod("SetBattery")
        .onInterface(iface)
        .withInputParamNames("lock", "percent")
        .implementedAs([this](const std::string& name, std::int32_t percent) {
            if (percent < 0 || percent > 100) {
                throwSim("InvalidArguments", "battery must be 0-100");
            }
            lock(name).act([&](LockFirmware& fw, std::int64_t now, FirmwareOutput& out) {
                fw.setBattery(percent, now, out);
            });
        });
    object_->registerMethod("SetRssi")
        .onInterface(iface)
        .withInputParamNames("lock", "rssi")
        .implementedAs([this](const std::string& name, std::int16_t rssi) {
            if (rssi < -120 || rssi > 0) {
                throwSim("InvalidArguments", "rssi must be -120..0 dBm");
            }
            lock(name).setBaseRssi(rssi);
        });
    object_->registerMethod("SetClockSkew")
        .onInterface(iface)
        .withInputParamNames("lock", "seconds")
        .implementedAs([this](const std::string& name, std::int64_t seconds) {
            if (seconds < -kMaxSkewSeconds || seconds > kMaxSkewSeconds) {
                throwSim("InvalidArguments", "skew must be within ±4e9 s");
            }
            lock(name).lock().setSkew(seconds);
        });
    object_->registerMethod("SetLockTime")
        .onInterface(iface)
        .withInputParamNames("lock", "unix_seconds")
        .implementedAs([this](const std::string& name, std::int64_t unixSeconds) {
            if (unixSeconds < 0 || unixSeconds > UINT32_MAX) {
                throwSim("InvalidArguments", "lock time must fit the lock's 32-bit clock");
            }
            lock(name).lock().setLockTime(unixSeconds, std::chrono::system_clock::now());
        });
    object_->registerMethod("DropConnection")
        .onInterface(iface)
        .withInputParamNames("lock")
        .withOutputParamNames("was_connected")
        .implementedAs([this](const std::string& name) {
            lock(name);
            return host_.dropConnection(name);
        });
    object_->registerMethod("SetInRange")
        .onInterface(iface)
        .withInputParamNames("lock", "in_range")
        .implementedAs([this](const std::string& name, bool inRange) {
            lock(name);
            host_.setInRange(name, inRange);
        });
    object_->registerMethod("SetDiscoveryRefusal")
        .onInterface(iface)
        .withInputParamNames("error_name")
        .implementedAs([this](const std::string& errorName) {
            auto& faults = host_.discoveryFaults();
            if (errorName.empty()) {
                faults.refusal.reset();
                return;
            }
            const auto code = bluez::parseBluezErrc(errorName);
            if (!code) {
                throwSim("InvalidArguments", "not an org.bluez.Error name: " + errorName);
            }
            faults.refusal = *code;
        });
    object_->registerMethod("DiscoveryStarts")
        .onInterface(iface)
        .withOutputParamNames("monotonic_usec")
        .implementedAs([this] {
            std::vector<std::int64_t> times;
            for (const auto time : host_.discoveryFaults().startCalls) {
                times.push_back(monotonicUsec(time));
            }
            return times;
        });
    object_->registerMethod("Burst")
        .onInterface(iface)
        .withInputParamNames("lock", "count")
        .withOutputParamNames("burst_json")
        .implementedAs([this](const std::string& name, std::uint32_t count) {
            if (count == 0 || count > kMaxBurst) {
                throwSim("InvalidArguments", "count must be 1-100000");
            }
            auto& target = lock(name);
            const auto emittedAt = monotonicUsec(std::chrono::steady_clock::now());
            const auto queued = target.burst(count);
            json records = json::array();
            for (const auto& record : queued) {
                records.push_back(recordToJson(record));
            }
            // The whole backlog is queued at one instant; one time per record keeps the shape
            // clients index by record.
            return json{{"first_record_id", queued.front().id},
                        {"count", count},
                        {"emitted_usec", json(std::vector<std::int64_t>(count, emittedAt))},
                        {"records", records}}
                .dump();
        });
    object_->registerMethod("AckedRecords")
        .onInterface(iface)
        .withInputParamNames("lock")
        .withOutputParamNames("records_json")
        .implementedAs([this](const std::string& name) {
            json records = json::array();
            for (const auto& record : lock(name).lock().ackedRecords()) {
                records.push_back(recordToJson(record));
            }
            return records.dump();
        });
    object_->registerMethod("Inspect")
        .onInterface(iface)
        .withInputParamNames("lock")
        .withOutputParamNames("state_json")
        .implementedAs([this](const std::string& name) {
            return lockStateToJson(lock(name).lock(), std::chrono::system_clock::now()).dump();
        });
    object_->finishRegistration();
}

SimControl::~SimControl() = default;

LockHost& SimControl::lock(const std::string& name) {
    auto* found = host_.find(name);
    if (found == nullptr) {
        throwSim("UnknownLock", "no lock named " + name);
    }
    return *found;
}

}  // namespace lockhub::sim
