#include "sim/bluez/AcquiredSocket.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>

namespace lockhub::sim::bluez {

std::unique_ptr<AcquiredSocket> AcquiredSocket::open(adapters::systemd::EventLoop& loop,
                                                     PacketHandler onPacket,
                                                     std::function<void()> onClosed, int& peerFd) {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0) {
        return nullptr;
    }
    peerFd = fds[1];
    return std::unique_ptr<AcquiredSocket>(
        new AcquiredSocket(loop, fds[0], std::move(onPacket), std::move(onClosed)));
}

AcquiredSocket::AcquiredSocket(adapters::systemd::EventLoop& loop, int fd, PacketHandler onPacket,
                               std::function<void()> onClosed)
    : loop_(loop), fd_(fd), onPacket_(std::move(onPacket)), onClosed_(std::move(onClosed)) {
    io_ = loop_.addIo(fd_, EPOLLIN, [this](std::uint32_t events) { readable(events); });
}

AcquiredSocket::~AcquiredSocket() {
    loop_.cancel(io_);
    loop_.cancel(closeTimer_);
    ::close(fd_);
}

void AcquiredSocket::send(const std::vector<std::uint8_t>& value) {
    (void)::send(fd_, value.data(), value.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

void AcquiredSocket::readable(std::uint32_t events) {
    std::array<std::uint8_t, 512> buffer{};
    for (;;) {
        const auto got = ::recv(fd_, buffer.data(), buffer.size(), MSG_DONTWAIT);
        if (got > 0) {
            if (onPacket_) {
                onPacket_({buffer.begin(), buffer.begin() + got});
            }
            continue;
        }
        if (got == 0 || (events & (EPOLLHUP | EPOLLERR)) != 0) {
            // The client closed its end. Tear down from a timer: this callback's source would
            // otherwise be destroyed while it runs.
            loop_.setIoEvents(io_, 0);
            if (closeTimer_ == 0) {
                closeTimer_ = loop_.addTimer(std::chrono::microseconds(0), [this] {
                    closeTimer_ = 0;
                    onClosed_();
                });
            }
        }
        return;
    }
}

}  // namespace lockhub::sim::bluez
