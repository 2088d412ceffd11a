#include "adapters/systemd/Firewall.h"

#include <systemd/sd-daemon.h>

#include <iostream>
#include <string>

#include "adapters/systemd/JournalStream.h"

namespace lockhub::adapters::systemd {

void Firewall::trip(const CallbackOrigin& origin, std::string_view what) noexcept {
    // Straight to stderr: the event loop links no app code, so the app's log facade is out of
    // reach, and one line written whole cannot interleave. Under systemd the prefix gives the
    // line error priority in the journal (sd-daemon(3)), so `journalctl -p err` shows it.
    std::string line = journalRequested() ? SD_ERR : "";
    line.append("error loop: uncaught exception in ");
    line.append(origin.kind);
    if (!origin.label.empty()) {
        line.append(" (").append(origin.label).append(")");
    }
    line.append(": ").append(what);
    line.append("; stopping with exit status ").append(std::to_string(kExitAppFault)).append("\n");
    std::cerr << line << std::flush;
    // The first fault decides the exit status; a second one only adds its line.
    if (!tripped_) {
        tripped_ = true;
        stop_(kExitAppFault);
    }
}

}  // namespace lockhub::adapters::systemd
