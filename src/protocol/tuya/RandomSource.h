// The only way randomness (IVs, srand) enters the library, so tests can fix it and the daemon can
// feed it from the OS.
#pragma once

#include <cstdint>
#include <span>

namespace lockhub::protocol::tuya {

class RandomSource {
public:
    virtual ~RandomSource() = default;
    virtual void fill(std::span<std::uint8_t> out) = 0;
};

}  // namespace lockhub::protocol::tuya
