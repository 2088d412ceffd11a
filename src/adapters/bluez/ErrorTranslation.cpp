#include "adapters/bluez/ErrorTranslation.h"

#include <sdbus-c++/Error.h>

#include <array>
#include <utility>

namespace lockhub::adapters::bluez {
namespace {

struct Mapping {
    std::string_view name;
    Errc code;
};

constexpr std::array kByName{
    Mapping{"org.bluez.Error.DoesNotExist", Errc::NotFound},
    Mapping{"org.freedesktop.DBus.Error.UnknownObject", Errc::NotFound},
    Mapping{"org.freedesktop.DBus.Error.UnknownMethod", Errc::NotFound},
    Mapping{"org.bluez.Error.InProgress", Errc::Busy},
    Mapping{"org.bluez.Error.AlreadyExists", Errc::Busy},
    Mapping{"org.freedesktop.DBus.Error.NoReply", Errc::Timeout},
    Mapping{"org.freedesktop.DBus.Error.Timeout", Errc::Timeout},
    Mapping{"org.freedesktop.DBus.Error.TimedOut", Errc::Timeout},
    Mapping{"org.bluez.Error.NotReady", Errc::Unavailable},
    Mapping{"org.bluez.Error.NotConnected", Errc::Unavailable},
    Mapping{"org.freedesktop.DBus.Error.ServiceUnknown", Errc::Unavailable},
    Mapping{"org.freedesktop.DBus.Error.NameHasNoOwner", Errc::Unavailable},
    Mapping{"org.freedesktop.DBus.Error.Disconnected", Errc::Unavailable},
    Mapping{"org.freedesktop.DBus.Error.NoServer", Errc::Unavailable},
    Mapping{"org.freedesktop.DBus.Error.FileNotFound", Errc::Unavailable},
};

// bluetoothd answers several conditions with the generic org.bluez.Error.Failed and a fixed text
// (src/device.c, src/gatt-client.c); the text is the only way to tell them apart.
constexpr std::array kFailedByText{
    Mapping{"Operation already in progress", Errc::Busy},
    Mapping{"In Progress", Errc::Busy},
    // The kernel aborts an LE connection attempt that got no answer from the device: BlueZ's
    // spelling of "out of range", i.e. the attempt timed out.
    Mapping{"le-connection-abort-by-local", Errc::Timeout},
    Mapping{"Not connected", Errc::Unavailable},
};

Errc classify(std::string_view name, std::string_view message) {
    for (const auto& mapping : kByName) {
        if (mapping.name == name) {
            return mapping.code;
        }
    }
    if (name == "org.bluez.Error.Failed") {
        for (const auto& mapping : kFailedByText) {
            if (mapping.name == message) {
                return mapping.code;
            }
        }
    }
    return Errc::Internal;
}

}  // namespace

Error translateError(std::string_view name, std::string_view message, std::string_view operation,
                     std::string_view mac) {
    std::string text(operation);
    if (!mac.empty()) {
        text.append(" ").append(mac);
    }
    text.append(": ").append(name);
    if (!message.empty()) {
        text.append(" (").append(message).append(")");
    }
    return Error{classify(name, message), std::move(text)};
}

Error translateError(const sdbus::Error& error, std::string_view operation, std::string_view mac) {
    return translateError(error.getName(), error.getMessage(), operation, mac);
}

}  // namespace lockhub::adapters::bluez
