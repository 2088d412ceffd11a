#include "sim/firmware/Pin.h"

#include <algorithm>

#include "domain/Secret.h"

namespace lockhub::sim {

bool isDigitPin(const std::vector<std::uint8_t>& pin) {
    return std::all_of(pin.begin(), pin.end(), [](std::uint8_t d) { return d <= 9; });
}

bool pinMatches(const std::vector<std::uint8_t>& pin, std::string_view digits) {
    std::vector<std::uint8_t> typed(digits.size());
    std::transform(digits.begin(), digits.end(), typed.begin(),
                   [](char c) { return static_cast<std::uint8_t>(c - '0'); });
    return constantTimeEquals(pin, typed);
}

}  // namespace lockhub::sim
