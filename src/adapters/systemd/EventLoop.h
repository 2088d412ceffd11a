// The daemon's single event loop (design §2): one thread owns all app and domain state, so nothing
// in them needs a lock. Other threads (Paho's callbacks) hand work over with post(). Every
// callback runs behind the loop's Firewall: one that throws stops run() with kExitAppFault.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "adapters/systemd/Firewall.h"
#include "domain/Error.h"

struct sd_event;
struct sd_event_source;

namespace lockhub::adapters::systemd {

class EventLoop {
public:
    using Callback = std::function<void()>;
    using IoCallback = std::function<void(std::uint32_t revents)>;
    using SourceId = std::uint64_t;

    static Result<std::unique_ptr<EventLoop>> create();
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    // CLOCK_MONOTONIC in microseconds, as cached by the loop for the current iteration.
    std::uint64_t nowUsec() const;

    // One-shot timers. Cancelling an id that already fired or was cancelled is a no-op, so owners
    // can cancel unconditionally in their destructors.
    SourceId addTimer(std::chrono::microseconds delay, Callback callback);
    SourceId addTimerAt(std::uint64_t monotonicUsec, Callback callback);
    void cancel(SourceId id);

    SourceId addIo(int fd, std::uint32_t events, IoCallback callback);
    void setIoEvents(SourceId id, std::uint32_t events);

    // The signal is blocked for the whole process here; call before any thread starts so that
    // every thread inherits the mask and only the loop sees the signal.
    Result<void> onSignal(int signo, Callback callback);

    // Thread-safe: runs `callback` on the loop thread soon after.
    void post(Callback callback);

    // Sends WATCHDOG=1 from the loop itself when systemd asked for a watchdog, so each ping proves
    // that the loop is alive.
    void enableWatchdog();

    int run();
    // Ignored after a fault: a clean stop requested later must not hide it.
    void exit(int code);

    // For dispatchers driven from this loop (BusLoop) and the callbacks they deliver.
    Firewall& firewall() { return firewall_; }

    sd_event* raw() const { return event_; }

private:
    struct Source;
    EventLoop(sd_event* event, int wakeFd);
    SourceId remember(sd_event_source* source, std::string_view kind, std::string label,
                      Callback timer, IoCallback io);
    void drainPosted();
    void guard(const Source& source, const std::function<void()>& callback);
    static int onTimer(sd_event_source* source, std::uint64_t usec, void* userdata);
    static int onIo(sd_event_source* source, int fd, std::uint32_t revents, void* userdata);

    sd_event* event_;
    Firewall firewall_;
    int wakeFd_;
    SourceId nextId_ = 1;
    std::unordered_map<SourceId, std::unique_ptr<Source>> sources_;
    std::mutex postedMutex_;
    std::vector<Callback> posted_;
};

}  // namespace lockhub::adapters::systemd
