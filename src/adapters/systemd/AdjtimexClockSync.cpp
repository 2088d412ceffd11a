#include "adapters/systemd/AdjtimexClockSync.h"

#include <sys/timex.h>

namespace lockhub::adapters::systemd {

bool AdjtimexClockSync::synchronised() const {
    struct timex state {};
    const int clock = adjtimex(&state);
    return clock != -1 && clock != TIME_ERROR && (state.status & STA_UNSYNC) == 0;
}

}  // namespace lockhub::adapters::systemd
