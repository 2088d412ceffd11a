#include "HubOverLink.h"

#include <variant>

namespace lockhub::adapters::bluez::test {
namespace tuya = protocol::tuya;
namespace {

tuya::Now now() {
    return {std::chrono::steady_clock::now(), std::chrono::system_clock::now()};
}

}  // namespace

void HubOverLink::FixedRandom::fill(std::span<std::uint8_t> out) {
    for (auto& byte : out) {
        byte = next_++;
    }
}

HubOverLink::HubOverLink(CentralHarness& harness, std::unique_ptr<ports::GattLink> link,
                         tuya::HubSessionConfig config)
    : harness_(harness), link_(std::move(link)), session_(std::move(config), random_) {
    harness_.onNotification = [this](const std::string& mac, const ports::Bytes& packet) {
        if (mac == link_->mac()) {
            session_.receive(packet, now());
            flush();
        }
    };
}

HubOverLink::~HubOverLink() {
    harness_.onNotification = nullptr;
}

bool HubOverLink::handshake() {
    session_.start(now());
    flush();
    return harness_.runUntil([&] {
        return std::any_of(events_.begin(), events_.end(), [](const tuya::HubEvent& event) {
            return std::holds_alternative<tuya::HandshakeDone>(event);
        });
    });
}

std::optional<tuya::DpReport> HubOverLink::waitForReport(std::uint8_t dp) {
    std::optional<tuya::DpReport> found;
    harness_.runUntil([&] {
        for (const auto& event : events_) {
            const auto* received = std::get_if<tuya::ReportReceived>(&event);
            if (received == nullptr) {
                continue;
            }
            for (const auto& value : received->report.dps) {
                if (value.id == dp) {
                    found = received->report;
                    return true;
                }
            }
        }
        return false;
    });
    return found;
}

void HubOverLink::flush() {
    auto output = session_.takeOutput();
    for (auto& event : output.events) {
        // Plays the app, which stores each report at once and then acknowledges it.
        if (const auto* report = std::get_if<tuya::ReportReceived>(&event)) {
            session_.acknowledge(report->token);
        }
        events_.push_back(std::move(event));
    }
    auto acks = session_.takeOutput();
    output.packets.insert(output.packets.end(), acks.packets.begin(), acks.packets.end());
    for (const auto& packet : output.packets) {
        link_->write(packet, [this](const Result<void>& result) {
            if (!result) {
                ++writeFailures_;
            }
        });
    }
}

}  // namespace lockhub::adapters::bluez::test
