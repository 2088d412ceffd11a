// The exception firewall (design §2). Every callback the loop dispatches (timers, I/O, posted
// work, signals, and through BusLoop the D-Bus replies and signals) runs inside Firewall::run. An
// exception escaping app code there is a bug, not a condition to recover from: it is logged with
// where it came from and the loop stops with kExitAppFault, so the daemon exits non-zero and
// systemd restarts it with clean state. Without this, sd-event would silently disable the source,
// sdbus-c++ would swallow sdbus::Error, and anything else would unwind through sd-bus's C frames
// into BusLoop, which would take it for a lost bus and reconnect to repeat the bug forever.
#pragma once

#include <exception>
#include <functional>
#include <string_view>
#include <utility>

namespace lockhub::adapters::systemd {

// EX_SOFTWARE (sysexits.h): an internal software error, distinct from the daemon's own statuses.
inline constexpr int kExitAppFault = 70;

// Where a callback came from: the kind of source and, where one exists, its name (a signal, a
// file descriptor, a D-Bus member). Views only, so guarding a callback costs no allocation; the
// strings must outlive the call.
struct CallbackOrigin {
    std::string_view kind;
    std::string_view label;
};

class Firewall {
public:
    // Stops the loop with the given exit status.
    using Stop = std::function<void(int status)>;

    explicit Firewall(Stop stop) : stop_(std::move(stop)) {}

    // Runs `callback`; false when it threw (the fault is then reported and the loop stopping).
    template <typename Callback>
    bool run(const CallbackOrigin& origin, Callback&& callback) noexcept {
        try {
            std::forward<Callback>(callback)();
            return true;
        } catch (const std::exception& e) {
            trip(origin, e.what());
        } catch (...) {
            trip(origin, "an exception not derived from std::exception");
        }
        return false;
    }

    // After a fault the state the callback left may be half-updated: dispatchers that run several
    // callbacks in one go (posted work, a D-Bus connection's queue) stop at once.
    bool tripped() const { return tripped_; }

private:
    void trip(const CallbackOrigin& origin, std::string_view what) noexcept;

    Stop stop_;
    bool tripped_ = false;
};

}  // namespace lockhub::adapters::systemd
