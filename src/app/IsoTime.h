// Reading the ISO-8601 times that queries take (`since`, `until`), the inverse of
// isoUtcMillis() (LockMessages.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace lockhub {

// "2026-12-01T11:00:00Z", "2026-12-01T11:00:00.250Z" or with an offset ("…+01:00") → Unix
// milliseconds UTC; nullopt for anything else (no date-only forms, no leap seconds, years
// 1970–9999, at most 3 fraction digits).
std::optional<std::int64_t> parseIsoMillis(std::string_view text);

}  // namespace lockhub
