// ISO-8601 date-times of requests, converted to UTC: "2026-12-01T14:00:00Z",
// "2026-12-01T15:00+01:00", with optional seconds and fraction (dropped). An offset is required:
// the hub cannot guess which time zone a caller meant, and a code valid an hour off is wrong.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace lockhub {

// Unix seconds, or nullopt for anything else (no offset, out-of-range fields, years before 1970).
std::optional<std::int64_t> parseIsoTime(std::string_view text);

}  // namespace lockhub
