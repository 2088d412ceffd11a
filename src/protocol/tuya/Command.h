// Command codes this library speaks (§1.8). Frames keep the raw 16-bit code, so unknown commands
// travel through unharmed.
#pragma once

#include <cstdint>

namespace lockhub::protocol::tuya {

enum class Command : std::uint16_t {
    DeviceInfo = 0x0000,
    Pair = 0x0001,
    DpWriteV3 = 0x0002,
    StatusQuery = 0x0003,
    Unbind = 0x0005,
    DpWriteV4 = 0x0027,
    DpReportV3 = 0x8001,
    DpReportV3WithTime = 0x8003,
    DpReportV4 = 0x8006,
    DpReportV4WithTime = 0x8007,
    TimeRequestMs = 0x8011,
    TimeRequestDate = 0x8012,
};

constexpr std::uint16_t code(Command command) {
    return static_cast<std::uint16_t>(command);
}

// The lock asks for the time in either of two forms; both sessions answer or recognise both.
constexpr bool isTimeRequest(std::uint16_t cmd) {
    return cmd == code(Command::TimeRequestMs) || cmd == code(Command::TimeRequestDate);
}

}  // namespace lockhub::protocol::tuya
