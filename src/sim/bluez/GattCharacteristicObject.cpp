#include "sim/bluez/GattCharacteristicObject.h"

#include <sdbus-c++/sdbus-c++.h>

#include <algorithm>

#include "adapters/bluez/BluezNames.h"
#include "sim/bluez/BluezError.h"

namespace lockhub::sim::bluez {

namespace names = adapters::bluez::names;

namespace {

using Options = std::map<std::string, sdbus::Variant>;

constexpr std::uint16_t kMtu = 23;      // Tuya locks never raise the ATT MTU (§1.3)
constexpr std::size_t kMaxValue = 512;  // largest attribute value the ATT protocol allows

// BlueZ's parse_options(): "offset" must be q, "type" one of command/request/reliable.
struct WriteOptions {
    std::uint16_t offset = 0;
    std::string type;
};

WriteOptions parseOptions(const Options& options) {
    WriteOptions parsed;
    for (const auto& [key, value] : options) {
        try {
            if (key == "offset") {
                parsed.offset = value.get<std::uint16_t>();
            } else if (key == "type") {
                parsed.type = value.get<std::string>();
                if (parsed.type != "command" && parsed.type != "request" &&
                    parsed.type != "reliable") {
                    throwBluez(BluezErrc::InvalidArguments);
                }
            }
        } catch (const sdbus::Error& e) {
            if (e.getName().rfind("org.bluez.", 0) == 0) {
                throw;
            }
            throwBluez(BluezErrc::InvalidArguments);
        }
    }
    return parsed;
}

}  // namespace

GattCharacteristicObject::GattCharacteristicObject(sdbus::IConnection& connection,
                                                   adapters::systemd::EventLoop& loop, Spec spec,
                                                   WriteHandler onWrite,
                                                   std::function<bool()> linkOpen)
    : loop_(loop),
      spec_(std::move(spec)),
      onWrite_(std::move(onWrite)),
      linkOpen_(std::move(linkOpen)) {
    object_ = sdbus::createObject(connection, spec_.path);
    const std::string iface = names::kCharacteristic;
    object_->registerProperty("UUID").onInterface(iface).withGetter([this] { return spec_.uuid; });
    object_->registerProperty("Service").onInterface(iface).withGetter(
        [this] { return sdbus::ObjectPath(spec_.servicePath); });
    object_->registerProperty("Value").onInterface(iface).withGetter([this] { return value_; });
    object_->registerProperty("Notifying").onInterface(iface).withGetter([this] {
        return announcedNotifying_;
    });
    object_->registerProperty("Flags").onInterface(iface).withGetter(
        [this] { return spec_.flags; });
    object_->registerProperty("Handle").onInterface(iface).withGetter(
        [this] { return spec_.handle; });
    object_->registerProperty("MTU").onInterface(iface).withGetter([] { return kMtu; });

    // The method logic follows bluetoothd's gatt-client.c: reads and write requests go to the
    // lock, which refuses them with ATT errors (NotPermitted); BlueZ itself refuses what it
    // cannot send (NotSupported, Failed).
    object_->registerMethod("ReadValue")
        .onInterface(iface)
        .withInputParamNames("options")
        .withOutputParamNames("value")
        .implementedAs([this](const Options& options) -> std::vector<std::uint8_t> {
            const auto parsed = parseOptions(options);
            if (!linkOpen_()) {
                throwBluez(BluezErrc::Failed, "Not connected");
            }
            if (!has("read")) {
                throwBluez(BluezErrc::NotPermitted, "Read not permitted");
            }
            if (parsed.offset > value_.size()) {
                throwBluez(BluezErrc::InvalidOffset);
            }
            return {value_.begin() + parsed.offset, value_.end()};
        });
    object_->registerMethod("WriteValue")
        .onInterface(iface)
        .withInputParamNames("value", "options")
        .implementedAs([this](const std::vector<std::uint8_t>& value, const Options& options) {
            const auto parsed = parseOptions(options);
            if (!linkOpen_()) {
                throwBluez(BluezErrc::Failed, "Not connected");
            }
            const bool request = parsed.type == "request" || parsed.type == "reliable" ||
                                 (parsed.type.empty() && has("write"));
            if (request) {
                if (!has("write") || !onWrite_) {
                    throwBluez(BluezErrc::NotPermitted, "Write not permitted");  // lock's ATT error
                }
                if (parsed.offset != 0) {
                    throwBluez(BluezErrc::InvalidOffset);
                }
                if (value.size() > kMaxValue) {
                    throwBluez(BluezErrc::InvalidValueLength);
                }
            } else {
                if ((!parsed.type.empty() && parsed.type != "command") || parsed.offset != 0 ||
                    !has("write-without-response") || !onWrite_) {
                    throwBluez(BluezErrc::NotSupported);
                }
                if (value.size() > kMtu - 3u) {
                    throwBluez(BluezErrc::Failed, "Failed to initiate write");
                }
            }
            onWrite_(value);
        });
    object_->registerMethod("StartNotify").onInterface(iface).implementedAs([this] {
        if (!has("notify") && !has("indicate")) {
            throwBluez(BluezErrc::NotSupported);
        }
        // One session per client; while disconnected (a bonded device) it is registered with
        // the lock on the next connection, as bluetoothd does.
        if (!notifySessions_.insert(sender()).second) {
            throwBluez(BluezErrc::Failed, "Already notifying");
        }
        refreshNotifying();
    });
    object_->registerMethod("StopNotify").onInterface(iface).implementedAs([this] {
        if (!notifying()) {
            throwBluez(BluezErrc::Failed, "Not notifying");
        }
        if (notifySessions_.erase(sender()) == 0) {
            throwBluez(BluezErrc::Failed, "No notify session started");
        }
        refreshNotifying();
    });
    registerAcquire(iface);
    object_->finishRegistration();
}

GattCharacteristicObject::~GattCharacteristicObject() {
    try {
        object_->emitInterfacesRemovedSignal();
    } catch (const sdbus::Error&) {
        // The bus is gone; nobody is left to tell.
    }
}

void GattCharacteristicObject::announce() {
    object_->emitInterfacesAddedSignal();
}

bool GattCharacteristicObject::notify(std::vector<std::uint8_t> value) {
    if (!notifying()) {
        return false;
    }
    if (notifySocket_) {
        notifySocket_->send(value);
        return true;
    }
    value_ = std::move(value);
    object_->emitPropertiesChangedSignal(names::kCharacteristic, {"Value"});
    return true;
}

void GattCharacteristicObject::registerAcquire(const std::string& iface) {
    if (has("write-without-response")) {
        object_->registerProperty("WriteAcquired").onInterface(iface).withGetter([this] {
            return writeSocket_ != nullptr;
        });
    }
    if (has("notify")) {
        object_->registerProperty("NotifyAcquired").onInterface(iface).withGetter([this] {
            return notifySocket_ != nullptr;
        });
    }
    // gatt-client.c: AcquireWrite needs write-without-response, AcquireNotify notify, and each
    // can be held by one client at a time.
    object_->registerMethod("AcquireWrite")
        .onInterface(iface)
        .withInputParamNames("options")
        .withOutputParamNames("fd", "mtu")
        .implementedAs([this](const Options& options) {
            parseOptions(options);
            if (!has("write-without-response") || !onWrite_) {
                throwBluez(BluezErrc::NotSupported);
            }
            if (writeSocket_) {
                throwBluez(BluezErrc::NotPermitted, "Write acquired");
            }
            if (!linkOpen_()) {
                throwBluez(BluezErrc::Failed, "Not connected");
            }
            int peer = -1;
            auto socket = AcquiredSocket::open(
                loop_,
                [this](std::vector<std::uint8_t> packet) {
                    if (linkOpen_()) {
                        onWrite_(std::move(packet));
                    }
                },
                [this] { setWriteSocket(nullptr); }, peer);
            if (!socket) {
                throwBluez(BluezErrc::Failed, "Failed to create socket");
            }
            setWriteSocket(std::move(socket));
            return std::make_tuple(sdbus::UnixFd(peer, sdbus::adopt_fd), kMtu);
        });
    object_->registerMethod("AcquireNotify")
        .onInterface(iface)
        .withInputParamNames("options")
        .withOutputParamNames("fd", "mtu")
        .implementedAs([this](const Options& options) {
            parseOptions(options);
            if (!has("notify")) {
                throwBluez(BluezErrc::NotSupported);
            }
            if (notifySocket_) {
                throwBluez(BluezErrc::NotPermitted, "Notify acquired");
            }
            if (!notifySessions_.empty()) {
                throwBluez(BluezErrc::InProgress);  // StartNotify sessions hold the CCC
            }
            if (!linkOpen_()) {
                throwBluez(BluezErrc::Failed, "Not connected");
            }
            int peer = -1;
            auto socket = AcquiredSocket::open(
                loop_, nullptr, [this] { setNotifySocket(nullptr); }, peer);
            if (!socket) {
                throwBluez(BluezErrc::Failed, "Failed to create socket");
            }
            setNotifySocket(std::move(socket));
            return std::make_tuple(sdbus::UnixFd(peer, sdbus::adopt_fd), kMtu);
        });
}

void GattCharacteristicObject::setWriteSocket(std::unique_ptr<AcquiredSocket> socket) {
    writeSocket_ = std::move(socket);
    object_->emitPropertiesChangedSignal(names::kCharacteristic, {"WriteAcquired"});
}

void GattCharacteristicObject::setNotifySocket(std::unique_ptr<AcquiredSocket> socket) {
    notifySocket_ = std::move(socket);
    object_->emitPropertiesChangedSignal(names::kCharacteristic, {"NotifyAcquired"});
    refreshNotifying();
}

void GattCharacteristicObject::releaseAcquired() {
    if (writeSocket_) {
        setWriteSocket(nullptr);
    }
    if (notifySocket_) {
        setNotifySocket(nullptr);
    }
    refreshNotifying();
}

void GattCharacteristicObject::refreshNotifying() {
    if (notifying() != announcedNotifying_) {
        announcedNotifying_ = notifying();
        object_->emitPropertiesChangedSignal(names::kCharacteristic, {"Notifying"});
    }
}

void GattCharacteristicObject::clientGone(const std::string& uniqueName) {
    notifySessions_.erase(uniqueName);
    refreshNotifying();
}

bool GattCharacteristicObject::has(const std::string& flag) const {
    return std::find(spec_.flags.begin(), spec_.flags.end(), flag) != spec_.flags.end();
}

std::string GattCharacteristicObject::sender() const {
    const auto* message = object_->getCurrentlyProcessedMessage();
    return message != nullptr ? message->getSender() : std::string();
}

}  // namespace lockhub::sim::bluez
