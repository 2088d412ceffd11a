// PINs as the lock stores them: digit values 0-9, one per byte (reference §2.3), compared with a
// keypad entry of ASCII digits without an early exit.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace lockhub::sim {

bool isDigitPin(const std::vector<std::uint8_t>& pin);
bool pinMatches(const std::vector<std::uint8_t>& pin, std::string_view digits);

}  // namespace lockhub::sim
