// D-Bus error replies (org.bluez.Error.* and the bus's own) as lockhub errors, so nothing above
// the adapter sees sdbus-c++ or BlueZ's vocabulary.
#pragma once

#include <string>
#include <string_view>

#include "domain/Error.h"

namespace sdbus {
class Error;
}

namespace lockhub::adapters::bluez {

// `operation` and `mac` name what failed ("connect", "AA:BB:…"); the D-Bus error's name and text
// follow for the log. BlueZ's texts carry no secrets.
Error translateError(std::string_view name, std::string_view message, std::string_view operation,
                     std::string_view mac);
Error translateError(const sdbus::Error& error, std::string_view operation, std::string_view mac);

}  // namespace lockhub::adapters::bluez
