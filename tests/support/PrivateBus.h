// A private dbus-daemon for one test: never the machine's system bus. Its policy lets anyone own
// any name, so the simulator can own org.bluez.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "support/Process.h"

namespace lockhub::testing {

class PrivateBus {
public:
    explicit PrivateBus(const std::filesystem::path& workDir);
    ~PrivateBus();

    // "unix:path=…", for DBUS_SYSTEM_BUS_ADDRESS or an explicit --bus argument.
    const std::string& address() const { return address_; }

private:
    std::filesystem::path dir_;
    std::string address_;
    std::unique_ptr<Process> process_;
};

}  // namespace lockhub::testing
