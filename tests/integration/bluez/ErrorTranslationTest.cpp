#include <gtest/gtest.h>

#include "adapters/bluez/ErrorTranslation.h"

namespace lockhub::adapters::bluez {
namespace {

struct Case {
    const char* name;
    const char* message;
    Errc code;
};

TEST(ErrorTranslation, BluezAndBusErrorsMapToTypedErrors) {
    const Case cases[] = {
        {"org.bluez.Error.DoesNotExist", "Does Not Exist", Errc::NotFound},
        {"org.freedesktop.DBus.Error.UnknownObject", "Unknown object", Errc::NotFound},
        {"org.bluez.Error.InProgress", "In Progress", Errc::Busy},
        {"org.bluez.Error.Failed", "Operation already in progress", Errc::Busy},
        {"org.bluez.Error.Failed", "le-connection-abort-by-local", Errc::Timeout},
        {"org.freedesktop.DBus.Error.NoReply", "Method call timed out", Errc::Timeout},
        {"org.bluez.Error.NotReady", "Resource Not Ready", Errc::Unavailable},
        {"org.freedesktop.DBus.Error.ServiceUnknown", "", Errc::Unavailable},
        {"org.bluez.Error.Failed", "Not connected", Errc::Unavailable},
        {"org.bluez.Error.Failed", "Failed to initiate write", Errc::Internal},
        {"org.bluez.Error.NotPermitted", "Write not permitted", Errc::Internal},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(translateError(c.name, c.message, "connect", "AA:BB:CC:DD:EE:FF").code, c.code)
            << c.name << " " << c.message;
    }
}

TEST(ErrorTranslation, MessageNamesOperationDeviceAndBluezError) {
    const auto error = translateError("org.bluez.Error.Failed", "le-connection-abort-by-local",
                                      "connect", "AA:BB:CC:DD:EE:FF");
    EXPECT_EQ(error.message,
              "connect AA:BB:CC:DD:EE:FF: org.bluez.Error.Failed (le-connection-abort-by-local)");
    EXPECT_EQ(
        translateError("org.freedesktop.DBus.Error.ServiceUnknown", "", "discovery", "").message,
        "discovery: org.freedesktop.DBus.Error.ServiceUnknown");
}

}  // namespace
}  // namespace lockhub::adapters::bluez
