// ports::ClockSync from the kernel's NTP state: adjtimex(2) with no modes only reads it, needs no
// privilege and no D-Bus round trip, and answers for whatever disciplines the clock
// (systemd-timesyncd, chrony, ntpd all clear STA_UNSYNC once synchronised; timedated's
// NTPSynchronized property reads the same bit).
#pragma once

#include "ports/ClockSync.h"

namespace lockhub::adapters::systemd {

class AdjtimexClockSync final : public ports::ClockSync {
public:
    bool synchronised() const override;
};

}  // namespace lockhub::adapters::systemd
