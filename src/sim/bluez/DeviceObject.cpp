#include "sim/bluez/DeviceObject.h"

#include <sdbus-c++/sdbus-c++.h>

#include <algorithm>

#include "adapters/bluez/BluezNames.h"
#include "sim/bluez/BluezError.h"

namespace lockhub::sim::bluez {

namespace names = adapters::bluez::names;

namespace {

using std::chrono::microseconds;

constexpr std::uint16_t kServiceHandle = 0x0010;
constexpr std::uint16_t kWriteHandle = 0x0011;
constexpr std::uint16_t kNotifyHandle = 0x0013;
constexpr std::uint16_t kCccHandle = 0x0015;

std::map<std::string, sdbus::Variant> toVariants(
    const std::map<std::string, std::vector<std::uint8_t>>& data) {
    std::map<std::string, sdbus::Variant> out;
    for (const auto& [key, bytes] : data) {
        out.emplace(key, sdbus::Variant(bytes));
    }
    return out;
}

std::map<std::uint16_t, sdbus::Variant> toVariants(
    const std::map<std::uint16_t, std::vector<std::uint8_t>>& data) {
    std::map<std::uint16_t, sdbus::Variant> out;
    for (const auto& [key, bytes] : data) {
        out.emplace(key, sdbus::Variant(bytes));
    }
    return out;
}

}  // namespace

std::string devicePath(const std::string& adapterPath, const std::string& address) {
    std::string suffix = address;
    std::replace(suffix.begin(), suffix.end(), ':', '_');
    return adapterPath + "/dev_" + suffix;
}

DeviceObject::DeviceObject(DeviceContext context, DeviceBackend& backend)
    : context_(std::move(context)),
      backend_(backend),
      address_(backend.address()),
      path_(devicePath(context_.adapterPath, address_)),
      advertisement_(backend.advertisement()) {
    registerInterface();
}

DeviceObject::~DeviceObject() {
    context_.loop.cancel(connectTimer_);
    context_.loop.cancel(dropTimer_);
    context_.loop.cancel(notifyTimer_);
    if (state_ == State::Connected) {
        backend_.linkDown();
    }
    if (pendingConnect_) {
        pendingConnect_->returnError(
            sdbus::Error(bluezErrorName(BluezErrc::Failed), "Device removed"));
    }
    ccc_.reset();
    notifyChar_.reset();
    writeChar_.reset();
    service_.reset();
    try {
        object_->emitInterfacesRemovedSignal();
    } catch (const sdbus::Error&) {
        // The bus is gone; nobody is left to tell.
    }
}

void DeviceObject::registerInterface() {
    object_ = sdbus::createObject(context_.connection, path_);
    const std::string iface = names::kDevice;
    object_->registerProperty("Address").onInterface(iface).withGetter([this] { return address_; });
    object_->registerProperty("AddressType").onInterface(iface).withGetter([] {
        return std::string("public");
    });
    object_->registerProperty("Name").onInterface(iface).withGetter(
        [this] { return advertisement_.name; });
    object_->registerProperty("Alias")
        .onInterface(iface)
        .withGetter([this] { return alias_.empty() ? advertisement_.name : alias_; })
        .withSetter([this](const std::string& alias) {
            alias_ = alias;
            object_->emitPropertiesChangedSignal(names::kDevice, {"Alias"});
        });
    object_->registerProperty("Adapter").onInterface(iface).withGetter(
        [this] { return sdbus::ObjectPath(context_.adapterPath); });
    object_->registerProperty("Paired").onInterface(iface).withGetter([this] { return paired_; });
    object_->registerProperty("Bonded").onInterface(iface).withGetter([this] { return paired_; });
    object_->registerProperty("Trusted")
        .onInterface(iface)
        .withGetter([this] { return trusted_; })
        .withSetter([this](const bool& on) {
            trusted_ = on;
            object_->emitPropertiesChangedSignal(names::kDevice, {"Trusted"});
        });
    object_->registerProperty("Blocked")
        .onInterface(iface)
        .withGetter([this] { return blocked_; })
        .withSetter([this](const bool& on) {
            blocked_ = on;
            object_->emitPropertiesChangedSignal(names::kDevice, {"Blocked"});
            if (on) {
                loseLink();
            }
        });
    object_->registerProperty("LegacyPairing").onInterface(iface).withGetter([] { return false; });
    object_->registerProperty("Connected").onInterface(iface).withGetter([this] {
        return state_ == State::Connected;
    });
    object_->registerProperty("ServicesResolved").onInterface(iface).withGetter([this] {
        return servicesResolved_;
    });
    object_->registerProperty("UUIDs").onInterface(iface).withGetter([this] {
        auto uuids = advertisement_.serviceUuids;
        if (gattResolvedOnce_) {
            const auto service = backend_.gattLayout().service;
            if (std::find(uuids.begin(), uuids.end(), service) == uuids.end()) {
                uuids.push_back(service);
            }
        }
        return uuids;
    });
    object_->registerProperty("RSSI").onInterface(iface).withGetter(
        [this] { return advertisement_.rssi; });
    object_->registerProperty("ServiceData").onInterface(iface).withGetter([this] {
        return toVariants(advertisement_.serviceData);
    });
    object_->registerProperty("ManufacturerData").onInterface(iface).withGetter([this] {
        return toVariants(advertisement_.manufacturerData);
    });
    object_->registerProperty("AdvertisingFlags").onInterface(iface).withGetter([] {
        return std::vector<std::uint8_t>{0x06};  // LE general discoverable, BR/EDR not supported
    });

    object_->registerMethod("Connect").onInterface(iface).implementedAs(
        [this](sdbus::Result<>&& result) { startConnect(std::move(result)); });
    // bluetoothd's device_request_disconnect() answers success for a device that is not
    // connected (the API document lists NotConnected, the daemon never sends it here).
    object_->registerMethod("Disconnect").onInterface(iface).implementedAs([this] { teardown(); });
    object_->registerMethod("Pair").onInterface(iface).implementedAs([this] {
        if (paired_) {
            throwBluez(BluezErrc::AlreadyExists);
        }
        if (state_ != State::Connected && !backend_.inRange()) {
            throwBluez(BluezErrc::Failed, "Page Timeout");
        }
        paired_ = true;
        temporary_ = false;
        object_->emitPropertiesChangedSignal(names::kDevice, {"Paired", "Bonded"});
    });
    object_->registerMethod("CancelPairing").onInterface(iface).implementedAs([] {
        throwBluez(BluezErrc::DoesNotExist);  // Pair completes at once, so nothing is in progress
    });
    object_->finishRegistration();
}

void DeviceObject::announce() {
    object_->emitInterfacesAddedSignal();
}

void DeviceObject::scanned() {
    const auto now = std::chrono::steady_clock::now();
    if (now < nextAdvertisement_) {
        return;
    }
    refreshAdvertisement();
    nextAdvertisement_ = now + backend_.untilNextAdvertisement();
}

void DeviceObject::refreshAdvertisement() {
    auto fresh = backend_.advertisement();
    std::vector<std::string> changed;
    if (fresh.rssi != advertisement_.rssi) {
        changed.emplace_back("RSSI");
    }
    if (fresh.manufacturerData != advertisement_.manufacturerData) {
        changed.emplace_back("ManufacturerData");
    }
    if (fresh.serviceData != advertisement_.serviceData) {
        changed.emplace_back("ServiceData");
    }
    if (fresh.name != advertisement_.name) {
        changed.emplace_back("Name");
    }
    advertisement_ = std::move(fresh);
    if (!changed.empty()) {
        object_->emitPropertiesChangedSignal(names::kDevice, changed);
    }
}

void DeviceObject::startConnect(sdbus::Result<>&& result) {
    if (!context_.adapterPowered()) {
        result.returnError(sdbus::Error(bluezErrorName(BluezErrc::NotReady), "Resource Not Ready"));
        return;
    }
    // bluetoothd's dev_connect() for LE: connected already → success; a connection attempt
    // running → device_connect_le() fails with EALREADY.
    if (state_ == State::Connected) {
        result.returnResults();
        return;
    }
    if (state_ == State::Connecting) {
        result.returnError(
            sdbus::Error(bluezErrorName(BluezErrc::Failed), "Operation already in progress"));
        return;
    }
    if (blocked_) {
        result.returnError(sdbus::Error(bluezErrorName(BluezErrc::Failed), "Blocked"));
        return;
    }
    // An unreachable lock fails only when the attempt times out (finishConnect).
    temporary_ = false;
    state_ = State::Connecting;
    pendingConnect_.emplace(std::move(result));
    auto delay = context_.timing.connectMin;
    if (context_.timing.connectMax > context_.timing.connectMin) {
        // The duration's own rep: long is 32 bits on armhf, milliseconds' rep is 64.
        using Rep = std::chrono::milliseconds::rep;
        std::uniform_int_distribution<Rep> pick(context_.timing.connectMin.count(),
                                                context_.timing.connectMax.count());
        delay = std::chrono::milliseconds(pick(context_.random));
    }
    // The central's connection request can only follow one of the lock's advertisements.
    delay += backend_.untilNextAdvertisement();
    connectTimer_ = context_.loop.addTimer(delay, [this] {
        connectTimer_ = 0;
        finishConnect();
    });
}

void DeviceObject::finishConnect() {
    if (!backend_.inRange()) {
        state_ = State::Disconnected;
        pendingConnect_->returnError(
            sdbus::Error(bluezErrorName(BluezErrc::Failed), "le-connection-abort-by-local"));
        pendingConnect_.reset();
        return;
    }
    state_ = State::Connected;
    linkClosing_ = false;
    object_->emitPropertiesChangedSignal(names::kDevice, {"Connected"});
    if (!service_) {
        createGatt();
    } else {
        notifyChar_->refreshNotifying();  // a bonded device's sessions are registered again
    }
    const bool firstResolve = !gattResolvedOnce_;
    gattResolvedOnce_ = true;
    servicesResolved_ = true;
    std::vector<std::string> changed{"ServicesResolved"};
    if (firstResolve) {
        changed.emplace_back("UUIDs");
    }
    object_->emitPropertiesChangedSignal(names::kDevice, changed);
    backend_.linkUp(*this);
    pendingConnect_->returnResults();
    pendingConnect_.reset();
}

void DeviceObject::createGatt() {
    const auto layout = backend_.gattLayout();
    const auto servicePath = path_ + "/service0010";
    service_ = std::make_unique<GattServiceObject>(context_.connection, servicePath, layout.service,
                                                   path_, kServiceHandle);
    auto linkOpen = [this] { return state_ == State::Connected && !linkClosing_; };
    writeChar_ = std::make_unique<GattCharacteristicObject>(
        context_.connection, context_.loop,
        GattCharacteristicObject::Spec{servicePath + "/char0011",
                                       layout.write,
                                       servicePath,
                                       {"write-without-response", "write"},
                                       kWriteHandle},
        [this](std::vector<std::uint8_t> packet) { backend_.received(packet); }, linkOpen);
    notifyChar_ = std::make_unique<GattCharacteristicObject>(
        context_.connection, context_.loop,
        GattCharacteristicObject::Spec{
            servicePath + "/char0013", layout.notify, servicePath, {"notify"}, kNotifyHandle},
        nullptr, linkOpen);
    ccc_ = std::make_unique<GattDescriptorObject>(
        context_.connection, servicePath + "/char0013/desc0015", servicePath + "/char0013",
        kCccHandle, [this] { return notifyChar_ && notifyChar_->notifying(); }, linkOpen);
    service_->announce();
    writeChar_->announce();
    notifyChar_->announce();
    ccc_->announce();
}

void DeviceObject::dropGatt() {
    ccc_.reset();
    notifyChar_.reset();
    writeChar_.reset();
    service_.reset();
}

void DeviceObject::teardown() {
    context_.loop.cancel(connectTimer_);
    context_.loop.cancel(dropTimer_);
    context_.loop.cancel(notifyTimer_);
    connectTimer_ = dropTimer_ = notifyTimer_ = 0;
    notifyQueue_.clear();
    if (pendingConnect_) {
        pendingConnect_->returnError(sdbus::Error(bluezErrorName(BluezErrc::Failed), "Cancelled"));
        pendingConnect_.reset();
    }
    const bool wasConnected = state_ == State::Connected;
    state_ = State::Disconnected;
    linkClosing_ = false;
    if (!wasConnected) {
        return;
    }
    backend_.linkDown();
    servicesResolved_ = false;
    object_->emitPropertiesChangedSignal(names::kDevice, {"ServicesResolved"});
    object_->emitPropertiesChangedSignal(names::kDevice, {"Connected"});
    if (!paired_) {
        dropGatt();
    } else if (service_) {
        writeChar_->releaseAcquired();
        notifyChar_->releaseAcquired();
    }
}

void DeviceObject::loseLink() {
    if (state_ != State::Disconnected) {
        teardown();
    }
}

void DeviceObject::clientGone(const std::string& uniqueName) {
    if (notifyChar_) {
        notifyChar_->clientGone(uniqueName);
    }
}

void DeviceObject::notify(std::vector<std::uint8_t> packet) {
    if (state_ != State::Connected || linkClosing_ || !notifyChar_) {
        return;
    }
    if (context_.timing.perNotification.count() == 0) {
        notifyChar_->notify(std::move(packet));
        return;
    }
    notifyQueue_.push_back(std::move(packet));
    if (notifyTimer_ == 0) {
        notifyTimer_ = context_.loop.addTimer(context_.timing.perNotification,
                                              [this] { flushNotification(); });
    }
}

void DeviceObject::flushNotification() {
    notifyTimer_ = 0;
    if (notifyQueue_.empty() || !notifyChar_) {
        return;
    }
    notifyChar_->notify(std::move(notifyQueue_.front()));
    notifyQueue_.pop_front();
    if (!notifyQueue_.empty()) {
        notifyTimer_ = context_.loop.addTimer(context_.timing.perNotification,
                                              [this] { flushNotification(); });
    }
}

void DeviceObject::dropLink() {
    if (state_ != State::Connected || linkClosing_) {
        return;
    }
    linkClosing_ = true;
    dropTimer_ = context_.loop.addTimer(microseconds(0), [this] {
        dropTimer_ = 0;
        teardown();
    });
}

}  // namespace lockhub::sim::bluez
