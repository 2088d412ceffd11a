// Names from BlueZ 5.66's D-Bus API documents (doc/org.bluez.*.rst), kept in one place so the
// simulator's tree and its tests cannot drift apart.
#pragma once

namespace lockhub::sim::bluez {

inline constexpr const char* kBusName = "org.bluez";
inline constexpr const char* kAdapterInterface = "org.bluez.Adapter1";
inline constexpr const char* kDeviceInterface = "org.bluez.Device1";
inline constexpr const char* kGattServiceInterface = "org.bluez.GattService1";
inline constexpr const char* kGattCharacteristicInterface = "org.bluez.GattCharacteristic1";
inline constexpr const char* kGattDescriptorInterface = "org.bluez.GattDescriptor1";
inline constexpr const char* kAgentManagerInterface = "org.bluez.AgentManager1";

// The 128-bit form BlueZ uses for every UUID property, from a 16-bit assigned number.
inline constexpr const char* kBaseUuidSuffix = "-0000-1000-8000-00805f9b34fb";

}  // namespace lockhub::sim::bluez
