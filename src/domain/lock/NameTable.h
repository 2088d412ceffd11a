// One table per enum maps each value to the name used in profiles and MQTT payloads, so printing
// and parsing can never disagree.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace lockhub::domain {

template <typename E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

template <typename E, std::size_t N>
constexpr std::string_view nameIn(const NameTable<E, N>& table, E value) {
    for (const auto& [candidate, name] : table) {
        if (candidate == value) {
            return name;
        }
    }
    return "unknown";
}

template <typename E, std::size_t N>
constexpr std::optional<E> parseIn(const NameTable<E, N>& table, std::string_view name) {
    for (const auto& [candidate, candidateName] : table) {
        if (candidateName == name) {
            return candidate;
        }
    }
    return std::nullopt;
}

}  // namespace lockhub::domain
