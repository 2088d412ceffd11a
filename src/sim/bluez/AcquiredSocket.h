// The socket behind AcquireWrite/AcquireNotify: bluetoothd hands the client one end of a
// SOCK_SEQPACKET pair, one GATT value per packet, and drops the acquisition when the client
// closes its end.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "adapters/systemd/EventLoop.h"

namespace lockhub::sim::bluez {

class AcquiredSocket {
public:
    using PacketHandler = std::function<void(std::vector<std::uint8_t>)>;

    // nullptr if the socket pair cannot be made. `peerFd` receives the client's end (the caller
    // passes its ownership on). `onClosed` runs from the loop after the client hung up; it may
    // destroy this object.
    static std::unique_ptr<AcquiredSocket> open(adapters::systemd::EventLoop& loop,
                                                PacketHandler onPacket,
                                                std::function<void()> onClosed, int& peerFd);
    ~AcquiredSocket();
    AcquiredSocket(const AcquiredSocket&) = delete;
    AcquiredSocket& operator=(const AcquiredSocket&) = delete;

    // One notification; dropped if the client does not keep up, as a full ATT queue would.
    void send(const std::vector<std::uint8_t>& value);

private:
    AcquiredSocket(adapters::systemd::EventLoop& loop, int fd, PacketHandler onPacket,
                   std::function<void()> onClosed);
    void readable(std::uint32_t events);

    adapters::systemd::EventLoop& loop_;
    int fd_;
    PacketHandler onPacket_;
    std::function<void()> onClosed_;
    adapters::systemd::EventLoop::SourceId io_ = 0;
    adapters::systemd::EventLoop::SourceId closeTimer_ = 0;
};

}  // namespace lockhub::sim::bluez
