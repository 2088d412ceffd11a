// BlueZ's D-Bus names (BlueZ 5.66 doc/org.bluez.*.rst) and the Tuya UUIDs (protocol reference
// §1.2–§1.3), in BlueZ's lower-case 128-bit spelling: one list for the adapter that talks to
// BlueZ and the simulator that impersonates it, so the two cannot drift apart. Plain C strings
// because sdbus-c++ 1.2 takes std::string, which a string_view does not convert to implicitly.
#pragma once

namespace lockhub::adapters::bluez::names {

inline constexpr const char* kService = "org.bluez";
inline constexpr const char* kAdapter = "org.bluez.Adapter1";
inline constexpr const char* kDevice = "org.bluez.Device1";
inline constexpr const char* kGattService = "org.bluez.GattService1";
inline constexpr const char* kCharacteristic = "org.bluez.GattCharacteristic1";
inline constexpr const char* kDescriptor = "org.bluez.GattDescriptor1";
inline constexpr const char* kAgentManager = "org.bluez.AgentManager1";
inline constexpr const char* kObjectManager = "org.freedesktop.DBus.ObjectManager";
inline constexpr const char* kProperties = "org.freedesktop.DBus.Properties";

// The 128-bit form BlueZ uses for every UUID property, from a 16-bit assigned number.
inline constexpr const char* kBaseUuidSuffix = "-0000-1000-8000-00805f9b34fb";

inline constexpr const char* kTuyaServiceDataUuid = "0000a201-0000-1000-8000-00805f9b34fb";
inline constexpr const char* kClassicServiceUuid = "00001910-0000-1000-8000-00805f9b34fb";
inline constexpr const char* kFd50ServiceUuid = "0000fd50-0000-1000-8000-00805f9b34fb";
inline constexpr unsigned kTuyaCompanyId = 0x07D0;

// Write (write-without-response) and notify characteristics of both GATT generations.
struct GattLayout {
    const char* write;
    const char* notify;
};
inline constexpr GattLayout kClassicLayout{"00002b11-0000-1000-8000-00805f9b34fb",
                                           "00002b10-0000-1000-8000-00805f9b34fb"};
inline constexpr GattLayout kFd50Layout{"00000001-0000-1001-8001-00805f9b07d0",
                                        "00000002-0000-1001-8001-00805f9b07d0"};

}  // namespace lockhub::adapters::bluez::names
