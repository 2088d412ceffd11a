// Byte buffers as the whole library passes them: owned bytes out, borrowed views in.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace lockhub::protocol::tuya {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

}  // namespace lockhub::protocol::tuya
