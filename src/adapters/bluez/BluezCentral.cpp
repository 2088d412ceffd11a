#include "adapters/bluez/BluezCentral.h"

#include <sdbus-c++/sdbus-c++.h>

#include <algorithm>

#include "adapters/bluez/BluezNames.h"
#include "adapters/bluez/BusLoop.h"
#include "adapters/bluez/ErrorTranslation.h"
#include "app/Log.h"
#include "domain/lock/LockAddress.h"

namespace lockhub::adapters::bluez {
namespace {

constexpr std::string_view kTag = "bluez";
constexpr std::chrono::milliseconds kCallTimeout{10'000};
constexpr std::chrono::milliseconds kWriteTimeout{5'000};

using Objects = std::map<sdbus::ObjectPath, Interfaces>;

std::unique_ptr<sdbus::IConnection> openConnection(const std::string& bus) {
    if (bus == "system") {
        return sdbus::createSystemBusConnection();
    }
    return sdbus::createSessionBusConnectionWithAddress(bus);
}

Properties discoveryFilter() {
    return {
        {"Transport", sdbus::Variant(std::string("le"))},
        {"UUIDs", sdbus::Variant(std::vector<std::string>{std::string(names::kTuyaServiceDataUuid),
                                                          std::string(names::kClassicServiceUuid),
                                                          std::string(names::kFd50ServiceUuid)})},
        // Repeated advertisements keep RSSI and the Tuya data current.
        {"DuplicateData", sdbus::Variant(true)},
    };
}

bool isAlreadyNotifying(const sdbus::Error& error) {
    // A bonded device keeps our notify session across reconnections (bluetoothd and the sim).
    return error.getName() == "org.bluez.Error.Failed" && error.getMessage() == "Already notifying";
}

bool bluezAbsent(const sdbus::Error& error) {
    return error.getName() == "org.freedesktop.DBus.Error.ServiceUnknown" ||
           error.getName() == "org.freedesktop.DBus.Error.NameHasNoOwner";
}

}  // namespace

BluezCentral::BluezCentral(systemd::EventLoop& loop, BluezOptions options)
    : loop_(loop),
      options_(std::move(options)),
      discoveryBackoff_(options_.discoveryRetryInitial, options_.discoveryRetryMax),
      jitter_(std::random_device{}()) {}

BluezCentral::~BluezCentral() {
    loop_.cancel(retryTimer_);
    for (const auto id : deferred_) {
        loop_.cancel(id);
    }
    loop_.cancel(discoveryTimer_);
    for (auto& [mac, attempt] : attempts_) {
        loop_.cancel(attempt.timer);
    }
    attempts_.clear();
    links_.clear();
    proxies_.clear();
    matches_.clear();
    busLoop_.reset();
    connection_.reset();
}

void BluezCentral::setHandlers(Handlers handlers) {
    handlers_ = std::move(handlers);
}

void BluezCentral::start() {
    if (started_) {
        return;
    }
    started_ = true;
    openBus();
}

// --- the bus and BlueZ's presence -------------------------------------------------------------

void BluezCentral::openBus() {
    try {
        connection_ = openConnection(options_.bus);
        busLoop_ = std::make_unique<BusLoop>(
            loop_, *connection_, [this](const std::string& reason) { onBusFailure(reason); });
        // AddMatch is answered by the bus daemon itself, once per connection: the only
        // synchronous round trip, and never to BlueZ.
        matches_.push_back(connection_->addMatch(
            "type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',"
            "member='NameOwnerChanged',arg0='org.bluez'",
            guardedSignal("NameOwnerChanged", &BluezCentral::onNameOwnerChanged)));
        matches_.push_back(connection_->addMatch(
            "type='signal',sender='org.bluez',interface='org.freedesktop.DBus.ObjectManager',"
            "member='InterfacesAdded'",
            guardedSignal("InterfacesAdded", &BluezCentral::onInterfacesAdded)));
        matches_.push_back(connection_->addMatch(
            "type='signal',sender='org.bluez',interface='org.freedesktop.DBus.ObjectManager',"
            "member='InterfacesRemoved'",
            guardedSignal("InterfacesRemoved", &BluezCentral::onInterfacesRemoved)));
        matches_.push_back(connection_->addMatch(
            "type='signal',sender='org.bluez',interface='org.freedesktop.DBus.Properties',"
            "member='PropertiesChanged'",
            guardedSignal("PropertiesChanged", &BluezCentral::onPropertiesChanged)));
    } catch (const std::exception& e) {
        log::warning(kTag, "cannot open the D-Bus connection (" + options_.bus + "): " + e.what());
        matches_.clear();
        busLoop_.reset();
        connection_.reset();
        retryLater(retryTimer_, options_.retryInterval, [this] { openBus(); });
        return;
    }
    loadObjects();
}

void BluezCentral::onBusFailure(const std::string& reason) {
    // Called from inside the connection's dispatch: tear it down from a fresh loop iteration.
    defer([this, reason] {
        closeBus(reason);
        retryLater(retryTimer_, options_.retryInterval, [this] { openBus(); });
    });
}

void BluezCentral::closeBus(const std::string& reason) {
    log::warning(kTag, "D-Bus connection lost: " + reason);
    bluezGone("D-Bus connection lost");
    proxies_.clear();
    matches_.clear();
    busLoop_.reset();
    connection_.reset();
}

void BluezCentral::defer(std::function<void()> action) {
    auto id = std::make_shared<systemd::EventLoop::SourceId>(0);
    *id = loop_.addTimer(std::chrono::microseconds(0), [this, id, action = std::move(action)] {
        deferred_.erase(*id);
        action();
    });
    deferred_.insert(*id);
}

void BluezCentral::retryLater(systemd::EventLoop::SourceId& timer, std::chrono::milliseconds delay,
                              std::function<void()> action) {
    loop_.cancel(timer);
    timer = loop_.addTimer(delay, [&timer, action = std::move(action)] {
        timer = 0;
        action();
    });
}

void BluezCentral::loadObjects() {
    if (!connection_) {
        return;
    }
    const std::uint64_t serial = ++loadSerial_;
    try {
        proxy("/")
            .callMethodAsync("GetManagedObjects")
            .onInterface(std::string(names::kObjectManager))
            .withTimeout(kCallTimeout)
            .uponReplyInvoke([this, serial](const sdbus::Error* error, const Objects& objects) {
                loop_.firewall().run({"D-Bus reply", "GetManagedObjects"},
                                     [&] { onObjectsReply(serial, error, objects); });
            });
    } catch (const sdbus::Error& e) {
        log::warning(kTag, "cannot ask BlueZ for its objects: " + e.getMessage());
        retryLater(retryTimer_, options_.retryInterval, [this] { loadObjects(); });
    }
}

void BluezCentral::onObjectsReply(std::uint64_t serial, const sdbus::Error* error,
                                  const std::map<sdbus::ObjectPath, Interfaces>& objects) {
    if (serial != loadSerial_) {
        return;
    }
    if (error == nullptr) {
        std::map<std::string, Interfaces> byPath;
        for (const auto& [path, interfaces] : objects) {
            byPath.emplace(path, interfaces);
        }
        onObjectsLoaded(byPath);
    } else if (!bluezAbsent(*error)) {
        // BlueZ is there but not answering yet (starting, or stuck): ask again.
        log::warning(kTag,
                     "GetManagedObjects failed: " + error->getName() + " " + error->getMessage());
        retryLater(retryTimer_, options_.retryInterval, [this] { loadObjects(); });
    }
    // Absent: NameOwnerChanged tells when it arrives.
}

void BluezCentral::onObjectsLoaded(const std::map<std::string, Interfaces>& objects) {
    bluezPresent_ = true;
    table_.clear();
    for (const auto& [path, interfaces] : objects) {
        table_.add(path, interfaces);
    }
    updateAvailability("Bluetooth adapter unavailable");
    if (available_) {
        for (const auto& ad : table_.advertisements(adapterPath_)) {
            if (handlers_.advertisement) {
                handlers_.advertisement(ad);
            }
        }
    }
}

void BluezCentral::bluezGone(const std::string& reason) {
    ++loadSerial_;
    bluezPresent_ = false;
    table_.clear();
    updateAvailability(reason);
}

void BluezCentral::updateAvailability(const std::string& reason) {
    const auto path = bluezPresent_ ? table_.adapterPath(options_.adapter) : std::nullopt;
    const bool usable = path && table_.powered(*path);
    if (usable && available_ && *path == adapterPath_) {
        syncDiscovery();
        return;
    }
    if (available_) {
        // Unusable now, or "any" moved to another adapter: nothing of the old one survives.
        // Unavailable first, so that a callback connecting again is refused.
        available_ = false;
        dropAll(reason);
        log::warning(kTag, "Bluetooth adapter " + adapterPath_ + " unavailable");
        if (handlers_.adapterAvailable) {
            handlers_.adapterAvailable(false);
        }
    }
    if (usable) {
        adapterPath_ = *path;
        available_ = true;
        log::info(kTag, "Bluetooth adapter " + adapterPath_ + " available");
        if (handlers_.adapterAvailable) {
            handlers_.adapterAvailable(true);
        }
        syncDiscovery();
    }
}

void BluezCentral::dropAll(const std::string& reason) {
    ++epoch_;
    discovering_ = false;
    discoveryPending_ = false;
    // Whatever refused discovery went with the adapter: when it comes back, discovery starts at
    // once.
    resetDiscoveryBackoff();
    std::vector<std::string> macs;
    for (const auto& [mac, attempt] : attempts_) {
        macs.push_back(mac);
    }
    for (const auto& mac : macs) {
        failAttempt(mac, Error{Errc::Unavailable, "connect " + mac + ": " + reason}, false);
    }
    macs.clear();
    for (const auto& [mac, link] : links_) {
        macs.push_back(mac);
    }
    for (const auto& mac : macs) {
        closeLink(mac, reason, true, false);
    }
}

// --- signals --------------------------------------------------------------------------------

void BluezCentral::onNameOwnerChanged(sdbus::Message& message) {
    std::string name;
    std::string oldOwner;
    std::string newOwner;
    try {
        message >> name >> oldOwner >> newOwner;
    } catch (const sdbus::Error&) {
        return;
    }
    if (name != names::kService) {
        return;
    }
    if (!oldOwner.empty()) {
        log::warning(kTag, "BlueZ left the bus");
        bluezGone("BlueZ left the bus");
    }
    if (!newOwner.empty()) {
        log::info(kTag, "BlueZ joined the bus");
        loadObjects();
    }
}

void BluezCentral::onInterfacesAdded(sdbus::Message& message) {
    sdbus::ObjectPath path;
    Interfaces interfaces;
    try {
        message >> path >> interfaces;
    } catch (const sdbus::Error&) {
        return;
    }
    if (!bluezPresent_) {
        return;  // GetManagedObjects' answer is still coming and will include this object
    }
    table_.add(path, interfaces);
    if (interfaces.contains(std::string(names::kAdapter))) {
        updateAvailability("Bluetooth adapter unavailable");
    }
    if (const auto* device = table_.device(path);
        device && interfaces.contains(std::string(names::kDevice))) {
        report(*device);
    }
}

void BluezCentral::onInterfacesRemoved(sdbus::Message& message) {
    sdbus::ObjectPath path;
    std::vector<std::string> interfaces;
    try {
        message >> path >> interfaces;
    } catch (const sdbus::Error&) {
        return;
    }
    const bool device =
        std::find(interfaces.begin(), interfaces.end(), names::kDevice) != interfaces.end();
    if (const auto* record = table_.device(path); device && record) {
        const std::string mac = record->advertisement.mac;
        table_.remove(path, interfaces);
        // Attempts and links only exist on the chosen adapter.
        if (available_ && isBelow(path, adapterPath_)) {
            if (attempts_.contains(mac)) {
                failAttempt(mac, Error{Errc::Unavailable, "connect " + mac + ": device went away"},
                            false);
            }
            closeLink(mac, "device went away", true, false);
        }
        forgetProxies(path);
        return;
    }
    table_.remove(path, interfaces);
    if (std::find(interfaces.begin(), interfaces.end(), names::kAdapter) != interfaces.end()) {
        updateAvailability("Bluetooth adapter unavailable");
    }
}

void BluezCentral::onPropertiesChanged(sdbus::Message& message) {
    char* interface = nullptr;
    try {
        message >> interface;
    } catch (const sdbus::Error&) {
        return;
    }
    if (interface == std::string_view(names::kCharacteristic)) {
        onCharacteristicChanged(message);
        return;
    }
    const std::string interfaceName = interface;
    Properties changed;
    std::vector<std::string> invalidated;
    try {
        message >> changed >> invalidated;
    } catch (const sdbus::Error&) {
        return;
    }
    if (const auto* device =
            table_.change(message.getPath(), interfaceName, changed, invalidated)) {
        onDeviceChanged(*device);
    } else if (interfaceName == names::kAdapter) {
        updateAvailability("Bluetooth adapter unavailable");
    }
}

void BluezCentral::onCharacteristicChanged(sdbus::Message& message) {
    // Every GATT packet a lock sends arrives here (3-4 a record). sdbus-c++ would parse the
    // whole a{sv} into a map of Variants, each a new sd-bus message holding a copy of its
    // value, and then the Value into a vector grown byte by byte; only Value matters, so it is
    // read in place, into a buffer whose capacity outlives the packet.
    const std::string path = message.getPath();
    const auto link = std::find_if(links_.begin(), links_.end(), [&](const auto& entry) {
        return entry.second->notifyPath == path;
    });
    if (link == links_.end()) {
        return;
    }
    // Moved out for the handler's call, so that a handler re-entering here gets a buffer of its
    // own.
    ports::Bytes packet = std::move(packetBuffer_);
    packet.clear();
    bool found = false;
    try {
        if (!message.enterContainer("{sv}")) {
            return;
        }
        while (message.enterDictEntry("sv")) {
            char* name = nullptr;
            message >> name;
            if (!found && name == std::string_view("Value")) {
                message.enterVariant("ay");
                message.enterContainer("y");
                std::uint8_t byte = 0;
                while (message >> byte) {
                    packet.push_back(byte);
                }
                message.clearFlags();
                message.exitContainer();
                message.exitVariant();
                found = true;
            } else {
                sdbus::Variant skipped;
                message >> skipped;
            }
            message.exitDictEntry();
        }
    } catch (const sdbus::Error&) {
        return;  // not the a{sv} of BlueZ's signal, or a Value that is not bytes
    }
    if (found && handlers_.notification) {
        handlers_.notification(link->first, packet);
    }
    packetBuffer_ = std::move(packet);
}

void BluezCentral::onDeviceChanged(const DeviceRecord& device) {
    const DeviceRecord copy = device;  // handlers may change the table
    const std::string& mac = copy.advertisement.mac;
    if (!available_ || !isBelow(copy.path, adapterPath_)) {
        return;  // attempts and links only exist on the chosen adapter
    }
    report(copy);
    if (!copy.advertisement.connected) {
        if (const auto it = attempts_.find(mac); it != attempts_.end() && it->second.connected) {
            failAttempt(mac,
                        Error{Errc::Unavailable,
                              "connect " + mac + ": disconnected while resolving services"},
                        false);
        }
        closeLink(mac, "disconnected", true, false);
        return;
    }
    if (copy.servicesResolved && attempts_.contains(mac)) {
        advance(mac);
    }
}

void BluezCentral::report(const DeviceRecord& device) {
    if (available_ && isBelow(device.path, adapterPath_) && handlers_.advertisement) {
        handlers_.advertisement(device.advertisement);
    }
}

// --- discovery ------------------------------------------------------------------------------

void BluezCentral::startDiscovery() {
    ++discoveryUsers_;
    syncDiscovery();
}

void BluezCentral::stopDiscovery() {
    if (discoveryUsers_ > 0) {
        --discoveryUsers_;
    }
    syncDiscovery();
}

void BluezCentral::syncDiscovery() {
    const bool wanted = discoveryUsers_ > 0;
    if (!available_ || discoveryPending_ || discoveryTimer_ != 0 || wanted == discovering_) {
        return;  // a pending back-off timer calls again
    }
    discoveryPending_ = true;
    const std::uint64_t epoch = epoch_;
    auto settle = [this, epoch](bool discovering) {
        if (epoch != epoch_) {
            return;  // the adapter went away meanwhile; dropAll reset the state
        }
        discoveryPending_ = false;
        discovering_ = discovering;
        if (discovering) {
            discoveryStarted();
        }
        syncDiscovery();
    };
    auto failed = [this, epoch](const sdbus::Error& error) {
        if (epoch != epoch_) {
            return;
        }
        discoveryPending_ = false;
        discoveryRefused(error);
    };
    if (!wanted) {
        // Whatever the answer, this client has no discovery session afterwards.
        call(adapterPath_, names::kAdapter, "StopDiscovery", kCallTimeout,
             [settle](const sdbus::Error*) { settle(false); });
        return;
    }
    Properties filter;
    try {
        filter = discoveryFilter();  // building a Variant can throw
    } catch (const sdbus::Error& e) {
        failed(e);
        return;
    }
    call(
        adapterPath_, names::kAdapter, "SetDiscoveryFilter", kCallTimeout,
        [this, epoch, settle, failed](const sdbus::Error* error) {
            if (error != nullptr) {
                failed(*error);
                return;
            }
            if (epoch != epoch_) {
                return;
            }
            call(adapterPath_, names::kAdapter, "StartDiscovery", kCallTimeout,
                 [this, epoch, settle, failed](const sdbus::Error* startError) {
                     if (startError == nullptr) {
                         settle(true);
                         return;
                     }
                     if (epoch == epoch_ && startError->getName() == "org.bluez.Error.InProgress") {
                         // bluetoothd says InProgress when the controller would not scan (it
                         // drops the session) and when this client already holds one (a reply
                         // abandoned after the adapter went away): releasing ours makes the retry
                         // start clean either way.
                         call(adapterPath_, names::kAdapter, "StopDiscovery", kCallTimeout,
                              [](const sdbus::Error*) {});
                     }
                     failed(*startError);
                 });
        },
        filter);
}

void BluezCentral::discoveryRefused(const sdbus::Error& error) {
    const auto delay =
        discoveryBackoff_.next(std::uniform_real_distribution<double>(0.0, 1.0)(jitter_));
    const std::string what = error.getName() + " " + error.getMessage() + "; next attempt in " +
                             std::to_string(delay.count()) + " ms";
    if (discoveryBackoff_.attempts() == 1) {
        log::warning(kTag, "discovery refused: " + what);
    } else {
        log::debug(kTag, "discovery refused again (" +
                             std::to_string(discoveryBackoff_.attempts()) + " in a row): " + what);
    }
    retryLater(discoveryTimer_, delay, [this] { syncDiscovery(); });
}

void BluezCentral::discoveryStarted() {
    if (discoveryBackoff_.attempts() > 0) {
        log::info(kTag, "discovery started after " + std::to_string(discoveryBackoff_.attempts()) +
                            " refused attempts");
    }
    discoveryBackoff_.reset();
}

void BluezCentral::resetDiscoveryBackoff() {
    loop_.cancel(discoveryTimer_);
    discoveryTimer_ = 0;
    discoveryBackoff_.reset();
}

std::vector<ports::Advertisement> BluezCentral::knownDevices() const {
    if (!available_) {
        return {};
    }
    return table_.advertisements(adapterPath_);
}

// --- connections ----------------------------------------------------------------------------

void BluezCentral::connect(const std::string& requested, std::chrono::milliseconds timeout,
                           ConnectDone done) {
    const std::string mac = domain::upper(requested);
    auto reject = [&](Errc code, const std::string& why) {
        // Answered from the loop like every other outcome, never from inside connect().
        defer([done = std::move(done), error = Error{code, "connect " + mac + ": " + why}] {
            done(tl::unexpected(error));
        });
    };
    if (!available_) {
        reject(Errc::Unavailable,
               bluezPresent_ ? "Bluetooth adapter unavailable" : "BlueZ unavailable");
        return;
    }
    const DeviceRecord* device = table_.deviceByMac(adapterPath_, mac);
    if (device == nullptr) {
        reject(Errc::NotFound, "unknown device");
        return;
    }
    if (attempts_.contains(mac) || links_.contains(mac)) {
        reject(Errc::Busy, "already connecting or connected");
        return;
    }
    const std::uint64_t id = nextAttempt_++;
    Attempt& entry = attempts_[mac];
    entry.id = id;
    entry.devicePath = device->path;
    entry.done = std::move(done);
    entry.timeout = timeout;
    entry.timer = loop_.addTimer(timeout, [this, mac, id, timeout] {
        if (auto* expired = attempt(mac, id)) {
            expired->timer = 0;
            failAttempt(mac,
                        Error{Errc::Timeout, "connect " + mac + ": no link within " +
                                                 std::to_string(timeout.count()) + " ms"},
                        true);
        }
    });
    // The D-Bus timeout is longer than ours: the attempt's timer decides, and cancels the Connect.
    call(device->path, names::kDevice, "Connect", timeout + kCallTimeout,
         [this, mac, id](const sdbus::Error* error) {
             auto* pending = attempt(mac, id);
             if (pending == nullptr) {
                 return;
             }
             if (error != nullptr) {
                 failAttempt(mac, translateError(*error, "connect", mac), false);
                 return;
             }
             pending->connected = true;
             advance(mac);
         });
}

BluezCentral::Attempt* BluezCentral::attempt(const std::string& mac, std::uint64_t id) {
    const auto it = attempts_.find(mac);
    return it != attempts_.end() && it->second.id == id ? &it->second : nullptr;
}

void BluezCentral::advance(const std::string& mac) {
    Attempt& pending = attempts_.at(mac);
    if (!pending.connected || pending.notifying) {
        return;
    }
    const DeviceRecord* device = table_.device(pending.devicePath);
    if (device == nullptr || !device->servicesResolved) {
        return;  // PropertiesChanged(ServicesResolved) brings us back
    }
    const auto gatt = table_.gattPaths(pending.devicePath);
    if (!gatt) {
        failAttempt(
            mac, Error{Errc::Internal, "connect " + mac + ": no Tuya write/notify characteristics"},
            true);
        return;
    }
    pending.notifying = true;
    pending.gatt = *gatt;
    const std::uint64_t id = pending.id;
    call(gatt->notify, names::kCharacteristic, "StartNotify", pending.timeout,
         [this, mac, id](const sdbus::Error* error) {
             if (attempt(mac, id) == nullptr) {
                 return;
             }
             if (error != nullptr && !isAlreadyNotifying(*error)) {
                 failAttempt(mac, translateError(*error, "start notifications", mac), true);
                 return;
             }
             succeed(mac);
         });
}

void BluezCentral::succeed(const std::string& mac) {
    const auto it = attempts_.find(mac);
    Attempt done = std::move(it->second);
    attempts_.erase(it);
    loop_.cancel(done.timer);
    auto link = std::make_shared<LinkState>();
    link->mac = mac;
    link->devicePath = done.devicePath;
    link->writePath = done.gatt.write;
    link->notifyPath = done.gatt.notify;
    links_[mac] = link;
    LinkOwner& owner = *this;  // the base is private: convert here, not inside make_unique
    done.done(std::unique_ptr<ports::GattLink>(std::make_unique<BluezLink>(owner, link)));
}

void BluezCentral::failAttempt(const std::string& mac, Error error, bool disconnect) {
    const auto it = attempts_.find(mac);
    if (it == attempts_.end()) {
        return;
    }
    Attempt failed = std::move(it->second);
    attempts_.erase(it);
    loop_.cancel(failed.timer);
    if (disconnect) {
        // Cancels a Connect still pending in BlueZ, or drops a half set-up link.
        disconnectDevice(failed.devicePath);
    }
    failed.done(tl::unexpected(std::move(error)));
}

// --- links ----------------------------------------------------------------------------------

void BluezCentral::writeLink(const std::shared_ptr<LinkState>& link, const ports::Bytes& packet,
                             ports::GattLink::WriteDone done) {
    const std::uint64_t seq = link->nextWrite++;
    link->pendingWrites.emplace(seq, std::move(done));
    std::weak_ptr<LinkState> weak = link;
    Reply reply = [weak, seq](const sdbus::Error* error) {
        const auto state = weak.lock();
        if (!state) {
            return;  // closed: the pending write was failed then
        }
        const auto it = state->pendingWrites.find(seq);
        if (it == state->pendingWrites.end()) {
            return;
        }
        auto callback = std::move(it->second);
        state->pendingWrites.erase(it);
        if (error != nullptr) {
            callback(tl::unexpected(translateError(*error, "write", state->mac)));
        } else {
            callback({});
        }
    };
    Properties options;
    try {
        options = {{"type", sdbus::Variant(std::string("command"))}};
    } catch (const sdbus::Error& e) {
        defer([reply, e] { reply(&e); });
        return;
    }
    // Write without response: BlueZ answers as soon as the packet is queued. Calls are not
    // serialised: D-Bus keeps their order and BlueZ answers them in order.
    call(link->writePath, names::kCharacteristic, "WriteValue", kWriteTimeout, std::move(reply),
         packet, options);
}

void BluezCentral::releaseLink(const std::shared_ptr<LinkState>& link) {
    const auto it = links_.find(link->mac);
    if (it != links_.end() && it->second == link) {
        closeLink(link->mac, "disconnect requested", false, true);
    }
}

void BluezCentral::closeLink(const std::string& mac, const std::string& reason, bool notifyApp,
                             bool disconnect) {
    const auto it = links_.find(mac);
    if (it == links_.end()) {
        return;
    }
    const std::shared_ptr<LinkState> link = std::move(it->second);
    links_.erase(it);
    if (disconnect) {
        disconnectDevice(link->devicePath);
    }
    auto pending = std::move(link->pendingWrites);
    link->pendingWrites.clear();
    for (auto& [seq, callback] : pending) {
        callback(fail(Errc::Unavailable, "write " + mac + ": link closed (" + reason + ")"));
    }
    if (notifyApp && handlers_.linkLost) {
        handlers_.linkLost(mac, reason);
    }
}

void BluezCentral::disconnectDevice(const std::string& devicePath) {
    if (connection_ && bluezPresent_) {
        call(devicePath, names::kDevice, "Disconnect", kCallTimeout, [](const sdbus::Error*) {});
    }
}

// --- D-Bus plumbing -------------------------------------------------------------------------

sdbus::message_handler BluezCentral::guardedSignal(std::string_view member,
                                                   void (BluezCentral::*handler)(sdbus::Message&)) {
    return [this, member, handler](sdbus::Message& message) {
        loop_.firewall().run({"D-Bus signal", member}, [&] { (this->*handler)(message); });
    };
}

void BluezCentral::forgetProxies(const std::string& devicePath) {
    // Replies still pending on them belong to attempts and links already ended for this device.
    std::erase_if(proxies_, [&](const auto& entry) {
        return entry.first == devicePath || isBelow(entry.first, devicePath);
    });
}

sdbus::IProxy& BluezCentral::proxy(const std::string& path) {
    auto& entry = proxies_[path];
    if (!entry) {
        entry = sdbus::createProxy(*connection_, std::string(names::kService), path);
    }
    return *entry;
}

template <typename... Args>
void BluezCentral::call(const std::string& path, std::string_view interface,
                        const std::string& method, std::chrono::milliseconds timeout, Reply reply,
                        const Args&... args) {
    try {
        if (!connection_) {
            throw sdbus::Error("org.freedesktop.DBus.Error.Disconnected", "no D-Bus connection");
        }
        proxy(path)
            .callMethodAsync(method)
            .onInterface(std::string(interface))
            .withTimeout(timeout)
            .withArguments(args...)
            .uponReplyInvoke([this, reply, method](const sdbus::Error* error) {
                loop_.firewall().run({"D-Bus reply", method}, [&] { reply(error); });
            });
    } catch (const sdbus::Error& e) {
        defer([reply = std::move(reply), e] { reply(&e); });
    }
}

}  // namespace lockhub::adapters::bluez
