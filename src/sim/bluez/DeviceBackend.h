// What a BlueZ device object needs from the lock behind it: its advertisement, whether the radio
// can reach it, its GATT layout, and the link (bytes written by the hub in, notifications out).
// The simulator's locks implement it; the BlueZ objects never see protocol or firmware types.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lockhub::sim::bluez {

struct Advertisement {
    std::string name;
    std::vector<std::string> serviceUuids;  // 128-bit strings, as BlueZ exports them
    std::map<std::string, std::vector<std::uint8_t>> serviceData;
    std::map<std::uint16_t, std::vector<std::uint8_t>> manufacturerData;
    std::int16_t rssi = -60;
};

struct GattLayout {
    std::string service;
    std::string write;   // write + write-without-response
    std::string notify;  // notify
};

// The device side of an open link, given to the backend while connected.
class LinkSink {
public:
    virtual ~LinkSink() = default;
    virtual void notify(std::vector<std::uint8_t> packet) = 0;
    // The peripheral closes the link (e.g. the lock saw a bad sequence number). Safe to call from
    // inside received(): the teardown happens after the current D-Bus call returns.
    virtual void dropLink() = 0;
};

class DeviceBackend {
public:
    virtual ~DeviceBackend() = default;
    virtual std::string address() const = 0;  // "AA:BB:CC:DD:EE:FF"
    virtual Advertisement advertisement() const = 0;
    // Time until the lock's next advertising event; zero for a lock that advertises at the
    // scanner's pace. Scans refresh a device only when it has advertised since, and a connection
    // can only start at an advertising event.
    virtual std::chrono::milliseconds untilNextAdvertisement() const = 0;
    virtual bool inRange() const = 0;
    virtual GattLayout gattLayout() const = 0;
    virtual void linkUp(LinkSink& sink) = 0;
    virtual void linkDown() = 0;
    virtual void received(const std::vector<std::uint8_t>& packet) = 0;
};

}  // namespace lockhub::sim::bluez
