#include "tests/fakes/FakeLockRadio.h"

#include <algorithm>
#include <variant>

#include "sim/firmware/TuyaAdvertisement.h"

namespace lockhub::fakes {

class FakeLockRadio::Link final : public ports::GattLink {
public:
    Link(FakeLockRadio& radio, std::string mac) : radio_(radio), mac_(std::move(mac)) {}
    ~Link() override { disconnect(); }

    const std::string& mac() const override { return mac_; }
    void write(const ports::Bytes& packet, WriteDone done) override {
        auto& lock = radio_.lock(mac_);
        if (!open_ || !lock.session) {
            done(fail(Errc::Unavailable, "not connected"));
            return;
        }
        lock.session->receive(packet, radio_.scheduler_.now());
        done({});
        radio_.pump(mac_);
    }
    void disconnect() override {
        if (open_) {
            open_ = false;
            auto& lock = radio_.lock(mac_);
            lock.session.reset();
            lock.connected = false;
        }
    }

private:
    FakeLockRadio& radio_;
    std::string mac_;
    bool open_ = true;
};

FakeLockRadio::Lock& FakeLockRadio::addLock(const std::string& mac,
                                            protocol::tuya::LockIdentity identity) {
    auto lock = std::make_unique<Lock>();
    lock->identity = std::move(identity);
    auto& ref = *lock;
    locks_[mac] = std::move(lock);
    return ref;
}

void FakeLockRadio::connect(const std::string& mac, std::chrono::milliseconds timeout,
                            ConnectDone done) {
    ++connectAttempts;
    auto it = locks_.find(mac);
    if (it == locks_.end()) {
        scheduler_.after(std::chrono::milliseconds(0),
                         [done] { done(fail(Errc::NotFound, "no such device")); });
        return;
    }
    Lock& lock = *it->second;
    if (!lock.inRange) {
        scheduler_.after(timeout, [done] { done(fail(Errc::Timeout, "connect timed out")); });
        return;
    }
    scheduler_.after(std::chrono::milliseconds(0), [this, mac, done, &lock] {
        protocol::tuya::LockSessionConfig config;
        config.identity = lock.identity;
        lock.session = std::make_unique<protocol::tuya::LockSession>(config, random_);
        lock.connected = true;
        ++lock.connections;
        done(std::unique_ptr<ports::GattLink>(std::make_unique<Link>(*this, mac)));
    });
}

protocol::tuya::ReportId FakeLockRadio::report(const std::string& mac,
                                               std::vector<protocol::tuya::Dp> dps,
                                               std::optional<protocol::tuya::ReportTime> time) {
    auto& lock = this->lock(mac);
    auto id = lock.session->report(std::move(dps), time, scheduler_.now());
    pump(mac);
    return id.value_or(0);
}

void FakeLockRadio::advertise(const std::string& mac, bool connectRequest) {
    // What the simulator's firmware puts on air (v3 generation, bound), with the real encrypted
    // UUID of the lock at `mac` so the hub can recognise it whatever address it uses.
    sim::SimLockIdentity identity;
    identity.productId = "key";
    identity.protocol = protocol::tuya::ProtocolVersion::V3;
    if (auto found = locks_.find(mac); found != locks_.end()) {
        identity.uuid = found->second->identity.uuid;
    }
    const auto air = sim::buildAdvertisement(identity, true, connectRequest);
    ports::Advertisement advertisement;
    advertisement.mac = mac;
    advertisement.name = "TY";
    advertisement.rssi = -60;
    advertisement.tuyaServiceData = air.serviceData;
    advertisement.tuyaManufacturerData = air.manufacturerData;
    if (std::none_of(known_.begin(), known_.end(),
                     [&](const auto& known) { return known.mac == mac; })) {
        known_.push_back(advertisement);
    }
    if (handlers_.advertisement) {
        handlers_.advertisement(advertisement);
    }
}

void FakeLockRadio::moveLock(const std::string& from, const std::string& to) {
    auto node = locks_.extract(from);
    node.key() = to;
    locks_.insert(std::move(node));
}

void FakeLockRadio::dropLink(const std::string& mac) {
    auto& lock = this->lock(mac);
    lock.session.reset();
    lock.connected = false;
    lock.inRange = false;
    if (handlers_.linkLost) {
        handlers_.linkLost(mac, "out of range");
    }
}

void FakeLockRadio::pump(const std::string& mac) {
    auto& lock = this->lock(mac);
    while (lock.session) {
        auto output = lock.session->takeOutput();
        if (output.empty()) {
            break;
        }
        for (auto& packet : output.packets) {
            scheduler_.after(std::chrono::milliseconds(0), [this, mac, packet] {
                if (this->lock(mac).connected && handlers_.notification) {
                    handlers_.notification(mac, packet);
                }
            });
        }
        for (auto& event : output.events) {
            if (auto* write = std::get_if<protocol::tuya::DpWriteReceived>(&event)) {
                lock.writes.push_back(write->dps);
                (void)lock.session->answerDpWrite(write->id, lock.writeStatus);
            } else if (std::holds_alternative<protocol::tuya::StatusQueried>(event)) {
                ++lock.statusQueries;
            } else if (auto* time = std::get_if<protocol::tuya::TimeReceived>(&event)) {
                lock.timesReceived.push_back(time->answer.unixMs);
            }
        }
        if (output.disconnect) {
            lock.session.reset();
            lock.connected = false;
            if (handlers_.linkLost) {
                handlers_.linkLost(mac, "the lock disconnected");
            }
        }
    }
    schedulePoll(mac);
}

void FakeLockRadio::schedulePoll(const std::string& mac) {
    auto& lock = this->lock(mac);
    scheduler_.cancel(lock.pollTimer);
    lock.pollTimer = 0;
    const auto deadline = lock.session ? lock.session->nextDeadline() : std::nullopt;
    if (!deadline) {
        return;
    }
    const auto delay = std::max(
        std::chrono::milliseconds(0),
        std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - scheduler_.now()));
    lock.pollTimer = scheduler_.after(delay, [this, mac] {
        auto& target = this->lock(mac);
        target.pollTimer = 0;
        if (target.session) {
            target.session->poll(scheduler_.now());
            pump(mac);
        }
    });
}

}  // namespace lockhub::fakes
