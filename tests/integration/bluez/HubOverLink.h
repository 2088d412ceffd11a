// The hub side of the Tuya protocol (protocol::tuya::HubSession) over a GattLink from the
// central: what the daemon's lock link manager will do, reduced to what the tests assert.
#pragma once

#include <memory>
#include <vector>

#include "CentralHarness.h"
#include "protocol/tuya/HubSession.h"
#include "protocol/tuya/RandomSource.h"

namespace lockhub::adapters::bluez::test {

class HubOverLink {
public:
    HubOverLink(CentralHarness& harness, std::unique_ptr<ports::GattLink> link,
                protocol::tuya::HubSessionConfig config);
    ~HubOverLink();

    // DEVICE_INFO + PAIR; true once HandshakeDone arrived.
    bool handshake();
    // Runs the loop until a report carrying `dp` arrived.
    std::optional<protocol::tuya::DpReport> waitForReport(std::uint8_t dp);

    ports::GattLink& link() { return *link_; }
    int writeFailures() const { return writeFailures_; }

private:
    class FixedRandom : public protocol::tuya::RandomSource {
    public:
        void fill(std::span<std::uint8_t> out) override;

    private:
        std::uint8_t next_ = 1;
    };

    void flush();

    CentralHarness& harness_;
    std::unique_ptr<ports::GattLink> link_;
    FixedRandom random_;
    protocol::tuya::HubSession session_;
    std::vector<protocol::tuya::HubEvent> events_;
    int writeFailures_ = 0;
};

}  // namespace lockhub::adapters::bluez::test
