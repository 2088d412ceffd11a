#include "support/NotifySocket.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include "support/Process.h"

namespace lockhub::testing {

NotifySocket::NotifySocket(const std::filesystem::path& path) : path_(path) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (fd_ < 0 || path.string().size() >= sizeof address.sun_path) {
        throw std::runtime_error("cannot create a notify socket at " + path.string());
    }
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        throw std::runtime_error("cannot bind " + path.string() + ": " + std::strerror(errno));
    }
    reader_ = std::thread([this] { receive(); });
}

NotifySocket::~NotifySocket() {
    stop_ = true;
    reader_.join();
    close(fd_);
    std::filesystem::remove(path_);
}

void NotifySocket::receive() {
    char buffer[4096];
    while (!stop_) {
        pollfd pfd{fd_, POLLIN, 0};
        if (poll(&pfd, 1, 50) <= 0) {
            continue;
        }
        const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
        if (n <= 0) {
            continue;
        }
        std::istringstream lines(std::string(buffer, static_cast<std::size_t>(n)));
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("STATUS=", 0) == 0) {
                std::lock_guard lock(mutex_);
                statuses_.push_back(line.substr(7));
            }
        }
    }
}

std::vector<std::string> NotifySocket::statuses() const {
    std::lock_guard lock(mutex_);
    return statuses_;
}

std::optional<std::string> NotifySocket::waitForStatus(
    const std::function<bool(const std::string&)>& match, std::chrono::milliseconds timeout) {
    std::optional<std::string> found;
    waitUntil(
        [&] {
            for (const auto& status : statuses()) {
                if (match(status)) {
                    found = status;
                    return true;
                }
            }
            return false;
        },
        timeout, std::chrono::milliseconds(20));
    return found;
}

}  // namespace lockhub::testing
