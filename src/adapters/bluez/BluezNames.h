// BlueZ's D-Bus names (BlueZ 5.66 doc/org.bluez.*.rst) and the Tuya UUIDs (protocol reference
// §1.2–§1.3) the adapter filters and looks for, in BlueZ's lower-case 128-bit spelling.
#pragma once

#include <string_view>

namespace lockhub::adapters::bluez::names {

inline constexpr std::string_view kService = "org.bluez";
inline constexpr std::string_view kAdapter = "org.bluez.Adapter1";
inline constexpr std::string_view kDevice = "org.bluez.Device1";
inline constexpr std::string_view kCharacteristic = "org.bluez.GattCharacteristic1";
inline constexpr std::string_view kObjectManager = "org.freedesktop.DBus.ObjectManager";
inline constexpr std::string_view kProperties = "org.freedesktop.DBus.Properties";

inline constexpr std::string_view kTuyaServiceDataUuid = "0000a201-0000-1000-8000-00805f9b34fb";
inline constexpr std::string_view kClassicServiceUuid = "00001910-0000-1000-8000-00805f9b34fb";
inline constexpr std::string_view kFd50ServiceUuid = "0000fd50-0000-1000-8000-00805f9b34fb";
inline constexpr unsigned kTuyaCompanyId = 0x07D0;

// Write (write-without-response) and notify characteristics of both GATT generations.
struct GattLayout {
    std::string_view write;
    std::string_view notify;
};
inline constexpr GattLayout kClassicLayout{"00002b11-0000-1000-8000-00805f9b34fb",
                                           "00002b10-0000-1000-8000-00805f9b34fb"};
inline constexpr GattLayout kFd50Layout{"00000001-0000-1001-8001-00805f9b07d0",
                                        "00000002-0000-1001-8001-00805f9b07d0"};

}  // namespace lockhub::adapters::bluez::names
