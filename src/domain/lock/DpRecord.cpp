#include "domain/lock/DpRecord.h"

#include <array>

namespace lockhub::domain {
namespace {

constexpr std::array<std::string_view, 6> kTypeNames = {"raw",    "bool", "value",
                                                        "string", "enum", "bitmap"};

}  // namespace

std::string_view dpTypeName(std::uint8_t type) {
    if (type < kTypeNames.size()) {
        return kTypeNames[type];
    }
    return "unsupported";
}

std::optional<std::uint8_t> parseDpType(std::string_view name) {
    for (std::size_t i = 0; i < kTypeNames.size(); ++i) {
        if (kTypeNames[i] == name) {
            return static_cast<std::uint8_t>(i);
        }
    }
    return std::nullopt;
}

}  // namespace lockhub::domain
