// DP records as a lock puts them on the wire, for the tests' tables.
#pragma once

#include <cstdint>
#include <vector>

#include "domain/lock/DpRecord.h"

namespace lockhub::domain::test {

inline DpRecord valueDp(std::uint8_t id, std::int32_t value) {
    const auto u = static_cast<std::uint32_t>(value);
    return {id,
            dptype::kValue,
            {static_cast<std::uint8_t>(u >> 24), static_cast<std::uint8_t>(u >> 16),
             static_cast<std::uint8_t>(u >> 8), static_cast<std::uint8_t>(u)}};
}

inline DpRecord boolDp(std::uint8_t id, bool on) {
    return {id, dptype::kBool, {static_cast<std::uint8_t>(on ? 1 : 0)}};
}

inline DpRecord enumDp(std::uint8_t id, std::uint8_t value) {
    return {id, dptype::kEnum, {value}};
}

inline DpRecord rawDp(std::uint8_t id, std::vector<std::uint8_t> bytes) {
    return {id, dptype::kRaw, std::move(bytes)};
}

}  // namespace lockhub::domain::test
