#include "CentralHarness.h"

#include <systemd/sd-event.h>

#include <stdexcept>

namespace lockhub::adapters::bluez::test {

CentralHarness::CentralHarness(BluezOptions options) {
    auto loop = systemd::EventLoop::create();
    if (!loop) {
        throw std::runtime_error(loop.error().message);
    }
    loop_ = std::move(*loop);
    central_ = std::make_unique<BluezCentral>(*loop_, std::move(options));
    central_->setHandlers({
        .advertisement =
            [this](const ports::Advertisement& ad) {
                advertisements[ad.mac] = ad;
                ++advertisementCounts[ad.mac];
            },
        .notification =
            [this](const std::string& mac, const ports::Bytes& packet) {
                notifications.emplace_back(mac, packet);
                if (onNotification) {
                    onNotification(mac, packet);
                }
            },
        .linkLost = [this](const std::string& mac,
                           const std::string& reason) { linksLost.emplace_back(mac, reason); },
        .adapterAvailable = [this](bool available) { availability.push_back(available); },
    });
}

CentralHarness::~CentralHarness() {
    central_.reset();
    loop_.reset();
}

bool CentralHarness::runUntil(const std::function<bool()>& done,
                              std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return done();
        }
        sd_event_run(loop_->raw(), 10'000);
    }
    return true;
}

Result<std::unique_ptr<ports::GattLink>> CentralHarness::connect(
    const std::string& mac, std::chrono::milliseconds timeout) {
    std::optional<Result<std::unique_ptr<ports::GattLink>>> result;
    central_->connect(mac, timeout,
                      [&](Result<std::unique_ptr<ports::GattLink>> r) { result = std::move(r); });
    if (!runUntil([&] { return result.has_value(); }, timeout + std::chrono::seconds(2))) {
        return fail(Errc::Internal, "test: connect never answered");
    }
    return std::move(*result);
}

}  // namespace lockhub::adapters::bluez::test
