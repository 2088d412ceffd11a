// Puts one VirtualLock on the air: the BlueZ device backend (advertisement, range, GATT link)
// plus the event-loop side of the lock (now(), the session's retransmission deadline). Every
// input is followed by flush(), which notifies the session's packets, honours its disconnects and
// tells the adapter when the advertisement changed (bound, connect request), since a lock
// re-advertises at once then.
#pragma once

#include <functional>
#include <optional>
#include <random>

#include "adapters/systemd/EventLoop.h"
#include "sim/bluez/DeviceBackend.h"
#include "sim/firmware/TuyaAdvertisement.h"
#include "sim/firmware/VirtualLock.h"

namespace lockhub::sim {

class LockHost : public bluez::DeviceBackend {
public:
    LockHost(adapters::systemd::EventLoop& loop, VirtualLock lock, std::mt19937& random,
             std::int16_t baseRssi, std::function<void()> advertisementChanged);
    ~LockHost() override;
    LockHost(const LockHost&) = delete;
    LockHost& operator=(const LockHost&) = delete;

    static Now now();

    // Runs a firmware action (see VirtualLock::act) and sends what it produced.
    template <typename Action>
    auto act(Action&& action) {
        if constexpr (std::is_void_v<decltype(lock_.act(now(), action))>) {
            lock_.act(now(), action);
            flush();
        } else {
            auto result = lock_.act(now(), action);
            flush();
            return result;
        }
    }

    // Queues a replayed backlog (VirtualLock::burst) and sends what it can.
    std::vector<LockRecord> burst(std::uint32_t count) {
        auto queued = lock_.burst(count, now());
        flush();
        return queued;
    }

    VirtualLock& lock() { return lock_; }
    const VirtualLock& lock() const { return lock_; }
    void setInRange(bool inRange) { lock_.setInRange(inRange); }
    // Signal strength around which the advertised RSSI jitters (±3 dBm).
    void setBaseRssi(std::int16_t rssi) { baseRssi_ = rssi; }

    // bluez::DeviceBackend
    std::string address() const override { return lock_.identity().mac; }
    bluez::Advertisement advertisement() const override;
    std::chrono::milliseconds untilNextAdvertisement() const override;
    bool inRange() const override { return lock_.inRange(); }
    bluez::GattLayout gattLayout() const override;
    void linkUp(bluez::LinkSink& sink) override;
    void linkDown() override;
    void received(const std::vector<std::uint8_t>& packet) override;

private:
    void flush();
    void rearm();
    // What the advertisement says about the lock; a change is announced by flush().
    std::pair<bool, bool> advertisedState() const {
        return {lock_.bound(), lock_.wantsConnection()};
    }

    adapters::systemd::EventLoop& loop_;
    VirtualLock lock_;
    std::mt19937& random_;
    std::int16_t baseRssi_;
    std::function<void()> advertisementChanged_;
    std::chrono::steady_clock::time_point advertisingSince_ = std::chrono::steady_clock::now();
    mutable std::optional<TuyaAdvertisement> tuya_;
    mutable std::pair<bool, bool> tuyaState_;  // advertisedState() that tuya_ was built for
    std::pair<bool, bool> announcedState_;
    bluez::LinkSink* sink_ = nullptr;
    adapters::systemd::EventLoop::SourceId deadlineTimer_ = 0;
};

}  // namespace lockhub::sim
