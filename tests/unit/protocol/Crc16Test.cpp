#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "protocol/tuya/Crc16.h"

namespace lockhub::protocol::tuya {
namespace {

TEST(Crc16Modbus, CatalogueCheckValue) {
    // The CRC catalogue's check value for CRC-16/MODBUS over "123456789".
    constexpr std::string_view kCheck = "123456789";
    std::vector<std::uint8_t> bytes(kCheck.begin(), kCheck.end());
    EXPECT_EQ(crc16Modbus(bytes), 0x4B37);
}

TEST(Crc16Modbus, EmptyInputIsInitValue) {
    EXPECT_EQ(crc16Modbus({}), 0xFFFF);
}

}  // namespace
}  // namespace lockhub::protocol::tuya
