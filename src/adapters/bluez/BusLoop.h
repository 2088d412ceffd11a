// Runs an sdbus-c++ 1.2 connection on the lead's sd-event loop. sdbus-c++ 1.2 cannot attach to an
// sd_event itself (attachSdEventLoop came in 2.x), so this drives it through
// getEventLoopPollData(): an I/O source on the bus fd plus a CLOCK_MONOTONIC timer for sd-bus's own
// deadline, both re-armed from a prepare callback so that messages queued from any callback
// (timers, posts) are flushed before the loop sleeps.
//
// The connection's dispatch runs behind the loop's Firewall, and only the bus's own failure counts
// as one: an exception a callback let escape is an app fault that stops the loop, never a reason
// to reconnect. sdbus-c++ 1.2 swallows an sdbus::Error thrown by a proxy's reply or signal
// callback, so callbacks with app code in them guard themselves too (EventLoop::firewall()).
#pragma once

#include <systemd/sd-event.h>

#include <functional>
#include <string>

namespace sdbus {
class IConnection;
}

namespace lockhub::adapters::systemd {
class EventLoop;
class Firewall;
}  // namespace lockhub::adapters::systemd

namespace lockhub::adapters::bluez {

class BusLoop {
public:
    // Called once when the connection fails (e.g. the bus went away); the loop keeps running.
    using FailureHandler = std::function<void(const std::string& reason)>;

    // Both references must outlive the BusLoop.
    BusLoop(systemd::EventLoop& loop, sdbus::IConnection& connection, FailureHandler onFailure);
    ~BusLoop();
    BusLoop(const BusLoop&) = delete;
    BusLoop& operator=(const BusLoop&) = delete;

private:
    static int onIo(sd_event_source* source, int fd, uint32_t revents, void* self);
    static int onTimer(sd_event_source* source, uint64_t usec, void* self);
    static int onPrepare(sd_event_source* source, void* self);

    void dispatch();
    bool processOne();
    void rearm();
    void rearmSources();
    void fail(const std::string& reason);

    sdbus::IConnection& connection_;
    systemd::Firewall& firewall_;
    std::string name_;  // the connection's unique name, for fault reports
    FailureHandler onFailure_;
    sd_event_source* io_ = nullptr;
    sd_event_source* timer_ = nullptr;
    bool failed_ = false;
};

}  // namespace lockhub::adapters::bluez
