#include <gtest/gtest.h>

#include <cstdint>

#include "adapters/bluez/ObjectTable.h"

namespace lockhub::adapters::bluez {
namespace {

const std::string kAdapter = "/org/bluez/hci0";
const std::string kDevice = "/org/bluez/hci0/dev_DC_23_26_53_00_00";

Interfaces device(Properties properties) {
    return {{"org.bluez.Device1", std::move(properties)}};
}

Interfaces characteristic(const std::string& uuid) {
    return {{"org.bluez.GattCharacteristic1", {{"UUID", sdbus::Variant(uuid)}}}};
}

TEST(ObjectTable, DeviceBecomesAnAdvertisementWithTheTuyaDataOnly) {
    ObjectTable table;
    table.add(kAdapter, {{"org.bluez.Adapter1", {{"Powered", sdbus::Variant(true)}}}});
    const ports::Bytes serviceData{0x00, 'p', 'i', 'd'};
    const ports::Bytes fd50ServiceData{0x4B, 0x00, 0x00, 0x03, 'p', 'i', 'd'};
    const ports::Bytes manufacturerData{0x80, 0x04, 0x00};
    table.add(kDevice,
              device({
                  {"Address", sdbus::Variant(std::string("dc:23:26:53:00:00"))},
                  {"Name", sdbus::Variant(std::string("TY"))},
                  {"RSSI", sdbus::Variant(std::int16_t{-61})},
                  {"ServiceData",
                   sdbus::Variant(std::map<std::string, sdbus::Variant>{
                       {"0000A201-0000-1000-8000-00805F9B34FB", sdbus::Variant(serviceData)},
                       {"0000fd50-0000-1000-8000-00805f9b34fb", sdbus::Variant(fd50ServiceData)},
                       {"0000feaa-0000-1000-8000-00805f9b34fb", sdbus::Variant(ports::Bytes{1})}})},
                  {"ManufacturerData", sdbus::Variant(std::map<std::uint16_t, sdbus::Variant>{
                                           {0x004C, sdbus::Variant(ports::Bytes{2})},
                                           {0x07D0, sdbus::Variant(manufacturerData)}})},
                  {"Connected", sdbus::Variant(false)},
              }));
    ASSERT_EQ(table.adapterPath("hci0"), kAdapter);
    EXPECT_TRUE(table.powered(kAdapter));
    const auto* record = table.deviceByMac(kAdapter, "DC:23:26:53:00:00");
    ASSERT_NE(record, nullptr);
    const auto& ad = record->advertisement;
    EXPECT_EQ(ad.mac, "DC:23:26:53:00:00");  // upper case whatever BlueZ sent
    EXPECT_EQ(ad.name, "TY");
    EXPECT_EQ(ad.rssi, std::int16_t{-61});
    EXPECT_EQ(ad.tuyaServiceData, serviceData);
    EXPECT_EQ(ad.tuyaFd50ServiceData, fd50ServiceData);
    EXPECT_EQ(ad.tuyaManufacturerData, manufacturerData);
    EXPECT_FALSE(ad.connected);
}

TEST(ObjectTable, ServiceDataChangesReplaceEveryUuidsData) {
    ObjectTable table;
    const ports::Bytes asleep{0x49, 0x00, 0x00, 0x01, 'x'};
    const ports::Bytes connectRequest{0x4B, 0x00, 0x00, 0x01, 'x'};
    auto serviceData = [](std::map<std::string, sdbus::Variant> data) {
        return Properties{{"ServiceData", sdbus::Variant(std::move(data))}};
    };
    table.add(
        kDevice,
        device(
            {{"Address", sdbus::Variant(std::string("DC:23:26:53:00:00"))},
             {"ServiceData",
              sdbus::Variant(std::map<std::string, sdbus::Variant>{
                  {"0000a201-0000-1000-8000-00805f9b34fb", sdbus::Variant(ports::Bytes{0x00, 'p'})},
                  {"0000fd50-0000-1000-8000-00805f9b34fb", sdbus::Variant(asleep)}})}}));

    // The connect-request bit flips in the FD50 frame control; the 0xA201 data is gone.
    const auto* record = table.change(
        kDevice, "org.bluez.Device1",
        serviceData({{"0000fd50-0000-1000-8000-00805f9b34fb", sdbus::Variant(connectRequest)}}));
    ASSERT_NE(record, nullptr);
    EXPECT_EQ(record->advertisement.tuyaFd50ServiceData, connectRequest);
    EXPECT_FALSE(record->advertisement.tuyaServiceData);

    // A property of the wrong type says nothing trustworthy about either UUID.
    record = table.change(kDevice, "org.bluez.Device1",
                          {{"ServiceData", sdbus::Variant(std::string("junk"))}});
    ASSERT_NE(record, nullptr);
    EXPECT_FALSE(record->advertisement.tuyaFd50ServiceData);
    EXPECT_FALSE(record->advertisement.tuyaServiceData);
}

TEST(ObjectTable, WronglyTypedPropertiesAreIgnoredNotThrown) {
    ObjectTable table;
    table.add(kDevice, device({{"Address", sdbus::Variant(std::string("DC:23:26:53:00:00"))},
                               {"RSSI", sdbus::Variant(std::int16_t{-50})}}));
    const auto* record =
        table.change(kDevice, "org.bluez.Device1",
                     {{"RSSI", sdbus::Variant(std::string("loud"))},
                      {"Connected", sdbus::Variant(std::uint32_t{1})},
                      {"ServiceData", sdbus::Variant(std::map<std::string, sdbus::Variant>{
                                          {"0000a201-0000-1000-8000-00805f9b34fb",
                                           sdbus::Variant(std::string("not bytes"))}})}});
    ASSERT_NE(record, nullptr);
    EXPECT_EQ(record->advertisement.rssi, std::int16_t{-50});
    EXPECT_FALSE(record->advertisement.connected);
    EXPECT_FALSE(record->advertisement.tuyaServiceData);
}

TEST(ObjectTable, InvalidatedRssiAndAdvertisingDataAreForgotten) {
    ObjectTable table;
    table.add(kDevice,
              device({{"Address", sdbus::Variant(std::string("DC:23:26:53:00:00"))},
                      {"RSSI", sdbus::Variant(std::int16_t{-50})},
                      {"ServiceData", sdbus::Variant(std::map<std::string, sdbus::Variant>{
                                          {"0000fd50-0000-1000-8000-00805f9b34fb",
                                           sdbus::Variant(ports::Bytes{0x41})}})},
                      {"ManufacturerData", sdbus::Variant(std::map<std::uint16_t, sdbus::Variant>{
                                               {0x07D0, sdbus::Variant(ports::Bytes{1, 2})}})}}));
    const auto* record =
        table.change(kDevice, "org.bluez.Device1", {}, {"RSSI", "ServiceData", "ManufacturerData"});
    ASSERT_NE(record, nullptr);
    EXPECT_FALSE(record->advertisement.rssi);
    EXPECT_FALSE(record->advertisement.tuyaFd50ServiceData);
    EXPECT_FALSE(record->advertisement.tuyaManufacturerData);
    EXPECT_EQ(record->advertisement.mac, "DC:23:26:53:00:00");
}

TEST(ObjectTable, FindsTheClassicOrTheFd50CharacteristicPairUnderTheDevice) {
    ObjectTable table;
    table.add(kDevice + "/service0010/char0011",
              characteristic("00000001-0000-1001-8001-00805F9B07D0"));
    EXPECT_FALSE(table.gattPaths(kDevice));  // a write characteristic alone is not a link
    table.add(kDevice + "/service0010/char0013",
              characteristic("00000002-0000-1001-8001-00805f9b07d0"));
    table.add("/org/bluez/hci0/dev_00_00_00_00_00_01/service0010/char0011",
              characteristic("00002b11-0000-1000-8000-00805f9b34fb"));
    const auto fd50 = table.gattPaths(kDevice);
    ASSERT_TRUE(fd50);
    EXPECT_EQ(fd50->write, kDevice + "/service0010/char0011");
    EXPECT_EQ(fd50->notify, kDevice + "/service0010/char0013");

    table.remove(kDevice + "/service0010/char0013", {"org.bluez.GattCharacteristic1"});
    EXPECT_FALSE(table.gattPaths(kDevice));
}

TEST(ObjectTable, ARemovedDeviceLeavesWithItsCharacteristics) {
    ObjectTable table;
    table.add(kAdapter, {{"org.bluez.Adapter1", {{"Powered", sdbus::Variant(true)}}}});
    const std::string other = "/org/bluez/hci0/dev_00_00_00_00_00_01";
    for (const auto& [path, mac] :
         {std::pair{kDevice, "DC:23:26:53:00:00"}, std::pair{other, "00:00:00:00:00:01"}}) {
        table.add(path, device({{"Address", sdbus::Variant(std::string(mac))}}));
        table.add(path + "/service0010/char0011",
                  characteristic("00002b11-0000-1000-8000-00805f9b34fb"));
        table.add(path + "/service0010/char0013",
                  characteristic("00002b10-0000-1000-8000-00805f9b34fb"));
    }
    ASSERT_EQ(table.advertisements(kAdapter).size(), 2u);

    table.remove(kDevice, {"org.bluez.Device1", "org.freedesktop.DBus.Properties"});
    EXPECT_EQ(table.device(kDevice), nullptr);
    EXPECT_EQ(table.deviceByMac(kAdapter, "DC:23:26:53:00:00"), nullptr);
    EXPECT_FALSE(table.gattPaths(kDevice));
    const auto left = table.advertisements(kAdapter);
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].mac, "00:00:00:00:00:01");
    EXPECT_TRUE(table.gattPaths(other));
    // Properties etc. alone (sd-bus lists them for every object) remove nothing.
    table.remove(other, {"org.freedesktop.DBus.Properties"});
    EXPECT_NE(table.device(other), nullptr);
}

TEST(ObjectTable, AnyAdapterIsTheFirstAndAMissingOneIsNone) {
    ObjectTable table;
    EXPECT_FALSE(table.adapterPath("any"));
    table.add("/org/bluez/hci1", {{"org.bluez.Adapter1", {{"Powered", sdbus::Variant(false)}}}});
    table.add(kAdapter, {{"org.bluez.Adapter1", {{"Powered", sdbus::Variant(true)}}}});
    EXPECT_EQ(table.adapterPath("any"), kAdapter);
    EXPECT_EQ(table.adapterPath("hci1"), "/org/bluez/hci1");
    EXPECT_FALSE(table.adapterPath("hci2"));
    EXPECT_FALSE(table.powered("/org/bluez/hci1"));
    table.change("/org/bluez/hci1", "org.bluez.Adapter1", {{"Powered", sdbus::Variant(true)}});
    EXPECT_TRUE(table.powered("/org/bluez/hci1"));
}

}  // namespace
}  // namespace lockhub::adapters::bluez
