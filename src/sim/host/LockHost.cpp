#include "sim/host/LockHost.h"

#include "adapters/bluez/BluezNames.h"
#include "protocol/tuya/Advertisement.h"
#include "sim/firmware/TuyaAdvertisement.h"

namespace lockhub::sim {
namespace {

std::string uuid16(std::uint16_t value) {
    char text[9];
    std::snprintf(text, sizeof text, "0000%04x", value);
    return text + std::string(adapters::bluez::names::kBaseUuidSuffix);
}

}  // namespace

LockHost::LockHost(adapters::systemd::EventLoop& loop, VirtualLock lock, std::mt19937& random,
                   std::int16_t baseRssi, std::function<void()> advertisementChanged)
    : loop_(loop),
      lock_(std::move(lock)),
      random_(random),
      baseRssi_(baseRssi),
      advertisementChanged_(std::move(advertisementChanged)),
      announcedState_(advertisedState()) {}

LockHost::~LockHost() {
    loop_.cancel(deadlineTimer_);
}

Now LockHost::now() {
    return {std::chrono::steady_clock::now(), std::chrono::system_clock::now()};
}

bluez::Advertisement LockHost::advertisement() const {
    // The payload only changes with the bound flag and the connect request; scanning many locks
    // every second should not redo MD5 and AES each time.
    if (!tuya_ || tuyaState_ != advertisedState()) {
        tuyaState_ = advertisedState();
        tuya_ = buildAdvertisement(lock_.identity(), tuyaState_.first, tuyaState_.second);
    }
    const auto& tuya = *tuya_;
    bluez::Advertisement ad;
    ad.name = "TY";
    ad.serviceUuids = {uuid16(tuya.serviceUuid)};
    ad.serviceData[uuid16(tuya.serviceUuid)] = tuya.serviceData;
    ad.manufacturerData[protocol::tuya::kTuyaCompanyId] = tuya.manufacturerData;
    std::uniform_int_distribution<int> jitter(-3, 3);
    ad.rssi = static_cast<std::int16_t>(baseRssi_ + jitter(random_));
    return ad;
}

std::chrono::milliseconds LockHost::untilNextAdvertisement() const {
    const auto& power = lock_.identity().power;
    // Asleep: slow advertising events, phased from when the lock was put on air. With news the
    // lock advertises at full pace until a hub has drained it.
    if (!power.battery() || lock_.wantsConnection()) {
        return std::chrono::milliseconds(0);
    }
    const auto since = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - advertisingSince_);
    return power.advertisingInterval - since % power.advertisingInterval;
}

bluez::GattLayout LockHost::gattLayout() const {
    if (lock_.identity().gatt == GattGeneration::Fd50) {
        return {uuid16(0xFD50), "00000001-0000-1001-8001-00805f9b07d0",
                "00000002-0000-1001-8001-00805f9b07d0"};
    }
    return {uuid16(0x1910), uuid16(0x2B11), uuid16(0x2B10)};
}

void LockHost::linkUp(bluez::LinkSink& sink) {
    sink_ = &sink;
    lock_.linkUp(now());
    flush();
}

void LockHost::linkDown() {
    sink_ = nullptr;
    lock_.linkDown();
    loop_.cancel(deadlineTimer_);
    deadlineTimer_ = 0;
}

void LockHost::received(const std::vector<std::uint8_t>& packet) {
    lock_.received(packet, now());
    flush();
}

void LockHost::flush() {
    auto output = lock_.takeOutput();
    if (sink_ != nullptr) {
        for (auto& packet : output.packets) {
            sink_->notify(std::move(packet));
        }
        if (output.disconnect) {
            sink_->dropLink();
        }
    }
    rearm();
    if (const auto state = advertisedState(); state != announcedState_) {
        announcedState_ = state;
        advertisementChanged_();
    }
}

void LockHost::rearm() {
    loop_.cancel(deadlineTimer_);
    deadlineTimer_ = 0;
    const auto deadline = lock_.nextDeadline();
    if (!deadline || sink_ == nullptr) {
        return;
    }
    const auto delay = std::max(std::chrono::steady_clock::duration::zero(),
                                *deadline - std::chrono::steady_clock::now());
    deadlineTimer_ = loop_.addTimer(
        std::chrono::duration_cast<std::chrono::microseconds>(delay) + std::chrono::microseconds(1),
        [this] {
            deadlineTimer_ = 0;
            lock_.poll(now());
            flush();
        });
}

}  // namespace lockhub::sim
