#pragma once

#include <cstdint>
#include <span>

namespace lockhub::protocol::tuya {

// CRC-16/MODBUS (reflected poly 0xA001, init 0xFFFF, no final XOR), as the inner frame uses (§1.7).
std::uint16_t crc16Modbus(std::span<const std::uint8_t> bytes);

}  // namespace lockhub::protocol::tuya
