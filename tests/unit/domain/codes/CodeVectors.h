// Loading the shared known-answer vectors (read at run time from LOCKHUB_VECTORS_DIR, never copied
// into the repository) and the hex conversions their fields need.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "domain/Hex.h"

namespace lockhub::domain::codes::test {

// The parsed file, or why it could not be read (a missing file must fail the test).
tl::expected<nlohmann::json, std::string> loadVectorFile(std::string_view name);

using domain::toHex;
std::vector<std::uint8_t> fromHex(std::string_view hex);

}  // namespace lockhub::domain::codes::test
