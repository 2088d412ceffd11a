// Reading the ISO-8601 times a client sends (records/query since/until). Only complete instants:
// a date, a time to the second with optional fraction, and a zone (Z or ±HH:MM), because a time
// without a zone means a different instant on every hub.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace lockhub {

// Unix milliseconds (fractions beyond ms are truncated), nullopt when `text` is not such a time
// or lies outside years 1970-9999.
std::optional<std::int64_t> parseIsoMillis(std::string_view text);

}  // namespace lockhub
