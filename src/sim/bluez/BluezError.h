// BlueZ's error replies (src/error.c): org.bluez.Error.<Name> with BlueZ's own message texts, so a
// client's error handling is exercised exactly as against bluetoothd.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lockhub::sim::bluez {

enum class BluezErrc {
    Failed,
    InProgress,
    NotPermitted,
    NotSupported,
    NotReady,
    AlreadyExists,
    DoesNotExist,
    InvalidArguments,
    InvalidOffset,
    InvalidValueLength,
};

// Throws sdbus::Error, which sdbus-c++ turns into the D-Bus error reply of the current call.
[[noreturn]] void throwBluez(BluezErrc code);
[[noreturn]] void throwBluez(BluezErrc code, const std::string& message);

std::string bluezErrorName(BluezErrc code);
// "InProgress" or "org.bluez.Error.InProgress" → the code; nullopt for any other name.
std::optional<BluezErrc> parseBluezErrc(std::string_view name);

}  // namespace lockhub::sim::bluez
