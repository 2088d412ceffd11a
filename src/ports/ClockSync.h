// Port: whether the hub's clock is synchronised (NTP). Time-based codes are only minted on a clock
// that is known to be right: a code minted on a wrong clock opens at the wrong time.
#pragma once

namespace lockhub::ports {

class ClockSync {
public:
    virtual ~ClockSync() = default;
    virtual bool synchronised() const = 0;
};

}  // namespace lockhub::ports
