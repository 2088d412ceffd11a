// sd_notify for a Type=notify service. Outside systemd (no $NOTIFY_SOCKET) every call is a no-op.
#pragma once

#include <string>

namespace lockhub::adapters::systemd {

class Notifier {
public:
    void ready();
    void status(const std::string& text);
    void stopping();
    void reloading();
};

}  // namespace lockhub::adapters::systemd
