// Bytes as lower-case hex, two digits per byte: how raw DPs, ids and test vectors are written.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace lockhub::domain {

std::string toHex(std::span<const std::uint8_t> bytes);

}  // namespace lockhub::domain
