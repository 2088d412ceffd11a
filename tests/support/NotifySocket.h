// The service manager's side of sd_notify for tests: a datagram socket a daemon finds through
// NOTIFY_SOCKET, recording every message it sends (READY=1, STATUS=..., WATCHDOG=1).
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace lockhub::testing {

class NotifySocket {
public:
    explicit NotifySocket(const std::filesystem::path& path);
    ~NotifySocket();
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    // For the daemon's environment.
    std::string address() const { return path_.string(); }
    // Every STATUS= value so far, oldest first.
    std::vector<std::string> statuses() const;
    // Waits for a STATUS= value `match` accepts; returns it.
    std::optional<std::string> waitForStatus(const std::function<bool(const std::string&)>& match,
                                             std::chrono::milliseconds timeout);

private:
    void receive();

    std::filesystem::path path_;
    int fd_ = -1;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    std::vector<std::string> statuses_;
    std::thread reader_;
};

}  // namespace lockhub::testing
