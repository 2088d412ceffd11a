// One data point (§1.11): an id and a typed value. The variant's alternatives are in type-code
// order, so the wire type is the variant index.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "protocol/tuya/Bytes.h"

namespace lockhub::protocol::tuya {

enum class DpType : std::uint8_t { Raw = 0, Bool = 1, Value = 2, String = 3, Enum = 4, Bitmap = 5 };

struct DpEnum {
    std::uint32_t value = 0;  // sent in the fewest of 1, 2 or 4 bytes
    bool operator==(const DpEnum&) const = default;
};

struct DpBitmap {
    std::uint32_t bits = 0;
    std::uint8_t width = 1;  // 1, 2 or 4 bytes on the wire
    bool operator==(const DpBitmap&) const = default;
};

using DpValue = std::variant<Bytes, bool, std::int32_t, std::string, DpEnum, DpBitmap>;

struct Dp {
    std::uint8_t id = 0;
    DpValue value;

    DpType type() const { return static_cast<DpType>(value.index()); }
    bool operator==(const Dp&) const = default;

    static Dp raw(std::uint8_t id, Bytes bytes) { return {id, std::move(bytes)}; }
    static Dp boolean(std::uint8_t id, bool on) { return {id, on}; }
    static Dp integer(std::uint8_t id, std::int32_t value) { return {id, value}; }
    static Dp string(std::uint8_t id, std::string text) { return {id, std::move(text)}; }
    static Dp enumeration(std::uint8_t id, std::uint32_t value) { return {id, DpEnum{value}}; }
    static Dp bitmap(std::uint8_t id, std::uint32_t bits, std::uint8_t width) {
        return {id, DpBitmap{bits, width}};
    }
};

}  // namespace lockhub::protocol::tuya
