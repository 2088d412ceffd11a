#include "sim/bluez/BluezError.h"

#include <sdbus-c++/Error.h>

namespace lockhub::sim::bluez {
namespace {

struct Entry {
    const char* name;
    const char* message;  // BlueZ's default text for the error
};

Entry entry(BluezErrc code) {
    switch (code) {
        case BluezErrc::Failed:
            return {"Failed", "Operation failed"};
        case BluezErrc::InProgress:
            return {"InProgress", "In Progress"};
        case BluezErrc::NotPermitted:
            return {"NotPermitted", "Operation Not Permitted"};
        case BluezErrc::NotSupported:
            return {"NotSupported", "Operation is not supported"};
        case BluezErrc::NotReady:
            return {"NotReady", "Resource Not Ready"};
        case BluezErrc::AlreadyExists:
            return {"AlreadyExists", "Already Exists"};
        case BluezErrc::DoesNotExist:
            return {"DoesNotExist", "Does Not Exist"};
        case BluezErrc::InvalidArguments:
            return {"InvalidArguments", "Invalid arguments in method call"};
        case BluezErrc::InvalidOffset:
            return {"InvalidOffset", "Invalid offset"};
        case BluezErrc::InvalidValueLength:
            return {"InvalidValueLength", "Invalid Value Length"};
    }
    return {"Failed", "Operation failed"};
}

}  // namespace

std::optional<BluezErrc> parseBluezErrc(std::string_view name) {
    constexpr std::string_view prefix = "org.bluez.Error.";
    if (name.starts_with(prefix)) {
        name.remove_prefix(prefix.size());
    }
    for (const auto code : {BluezErrc::Failed, BluezErrc::InProgress, BluezErrc::NotPermitted,
                            BluezErrc::NotSupported, BluezErrc::NotReady, BluezErrc::AlreadyExists,
                            BluezErrc::DoesNotExist, BluezErrc::InvalidArguments,
                            BluezErrc::InvalidOffset, BluezErrc::InvalidValueLength}) {
        if (name == entry(code).name) {
            return code;
        }
    }
    return std::nullopt;
}

std::string bluezErrorName(BluezErrc code) {
    return std::string("org.bluez.Error.") + entry(code).name;
}

void throwBluez(BluezErrc code) {
    throw sdbus::Error(bluezErrorName(code), entry(code).message);
}

void throwBluez(BluezErrc code, const std::string& message) {
    throw sdbus::Error(bluezErrorName(code), message);
}

}  // namespace lockhub::sim::bluez
