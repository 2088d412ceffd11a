#include "adapters/bluez/BusLoop.h"

#include <sdbus-c++/sdbus-c++.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string_view>

#include "adapters/systemd/EventLoop.h"

namespace lockhub::adapters::bluez {
namespace {

// sdbus-c++'s text for sd_bus_process() failing (Connection::processPendingRequest, 1.x and 2.x):
// the one exception out of processPendingRequest() that is the bus's own. The rest were thrown by
// a callback and unwound through sd-bus.
constexpr std::string_view kProcessingFailed = "Failed to process bus requests";

void check(int r, const char* what) {
    if (r < 0) {
        throw std::runtime_error(std::string(what) + ": " + std::strerror(-r));
    }
}

}  // namespace

BusLoop::BusLoop(systemd::EventLoop& loop, sdbus::IConnection& connection, FailureHandler onFailure)
    : connection_(connection),
      firewall_(loop.firewall()),
      name_(connection.getUniqueName()),
      onFailure_(std::move(onFailure)) {
    sd_event* event = loop.raw();
    const auto poll = connection_.getEventLoopPollData();
    check(sd_event_add_io(event, &io_, poll.fd, static_cast<uint32_t>(poll.events), &BusLoop::onIo,
                          this),
          "sd_event_add_io(bus)");
    check(sd_event_source_set_prepare(io_, &BusLoop::onPrepare), "sd_event_source_set_prepare");
    check(sd_event_add_time(event, &timer_, CLOCK_MONOTONIC, std::numeric_limits<uint64_t>::max(),
                            0, &BusLoop::onTimer, this),
          "sd_event_add_time(bus)");
    check(sd_event_source_set_enabled(timer_, SD_EVENT_OFF), "sd_event_source_set_enabled");
}

BusLoop::~BusLoop() {
    sd_event_source_disable_unref(timer_);
    sd_event_source_disable_unref(io_);
}

int BusLoop::onIo(sd_event_source*, int, uint32_t, void* self) {
    static_cast<BusLoop*>(self)->dispatch();
    return 0;
}

int BusLoop::onTimer(sd_event_source*, uint64_t, void* self) {
    static_cast<BusLoop*>(self)->dispatch();
    return 0;
}

int BusLoop::onPrepare(sd_event_source*, void* self) {
    static_cast<BusLoop*>(self)->rearm();
    return 0;
}

void BusLoop::dispatch() {
    if (failed_) {
        return;
    }
    firewall_.run({"D-Bus dispatch", name_}, [this] {
        while (!firewall_.tripped() && processOne()) {
        }
    });
}

bool BusLoop::processOne() {
    try {
        return connection_.processPendingRequest();
    } catch (const sdbus::Error& e) {
        if (!e.getMessage().starts_with(kProcessingFailed)) {
            throw;  // a callback's, for the firewall
        }
        fail(e.getMessage());
        return false;
    }
}

void BusLoop::rearm() {
    if (failed_) {
        return;
    }
    // Guarded for the failure handler's app code; sd-event gives a prepare callback no way out.
    firewall_.run({"D-Bus prepare", name_}, [this] { rearmSources(); });
}

void BusLoop::rearmSources() {
    try {
        const auto poll = connection_.getEventLoopPollData();
        check(sd_event_source_set_io_events(io_, static_cast<uint32_t>(poll.events)),
              "sd_event_source_set_io_events");
        if (poll.timeout_usec == std::numeric_limits<uint64_t>::max()) {
            check(sd_event_source_set_enabled(timer_, SD_EVENT_OFF), "disable bus timer");
        } else {
            check(sd_event_source_set_time(timer_, poll.timeout_usec), "set bus timer");
            check(sd_event_source_set_enabled(timer_, SD_EVENT_ONESHOT), "enable bus timer");
        }
    } catch (const std::exception& e) {
        fail(e.what());
    }
}

void BusLoop::fail(const std::string& reason) {
    failed_ = true;
    sd_event_source_set_enabled(io_, SD_EVENT_OFF);
    sd_event_source_set_enabled(timer_, SD_EVENT_OFF);
    if (onFailure_) {
        onFailure_(reason);
    }
}

}  // namespace lockhub::adapters::bluez
