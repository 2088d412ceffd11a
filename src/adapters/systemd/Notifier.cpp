#include "adapters/systemd/Notifier.h"

#include <systemd/sd-daemon.h>

namespace lockhub::adapters::systemd {

void Notifier::ready() {
    sd_notify(0, "READY=1");
}

void Notifier::status(const std::string& text) {
    sd_notify(0, ("STATUS=" + text).c_str());
}

void Notifier::stopping() {
    sd_notify(0, "STOPPING=1");
}

void Notifier::reloading() {
    sd_notify(0, "RELOADING=1");
}

}  // namespace lockhub::adapters::systemd
