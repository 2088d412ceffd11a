// Helpers shared by the protocol tests: hex conversion and a scripted random source.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "domain/Hex.h"
#include "protocol/tuya/Bytes.h"
#include "protocol/tuya/RandomSource.h"

namespace lockhub::protocol::tuya::test {

inline Bytes fromHex(std::string_view hex) {
    Bytes out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        out.push_back(
            static_cast<std::uint8_t>(std::stoul(std::string(hex.substr(i, 2)), nullptr, 16)));
    }
    return out;
}

using domain::toHex;

// Deterministic bytes: a counter, so every IV and srand differs and runs repeat exactly.
class CountingRandom : public RandomSource {
public:
    explicit CountingRandom(std::uint8_t seed = 0) : next_(seed) {}
    void fill(std::span<std::uint8_t> out) override {
        for (std::uint8_t& byte : out) {
            byte = next_++;
        }
    }

private:
    std::uint8_t next_;
};

}  // namespace lockhub::protocol::tuya::test
