// The envelope of the bridge request/response API (docs/mqtt-api.md): what arrives on
// <base>/bridge/request/<op> and what goes back on <base>/bridge/response/<op>.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "domain/Error.h"

namespace lockhub {

inline constexpr std::size_t kMaxRequestBytes = 64 * 1024;

struct BridgeRequest {
    nlohmann::json body;         // always an object
    nlohmann::json transaction;  // the caller's value, echoed verbatim; null when absent
};

// Validates size, UTF-8, JSON syntax and the envelope shape. On failure, `transaction` is still
// recovered when the payload got far enough to have one, so the caller can correlate the error.
struct ParsedRequest {
    Result<BridgeRequest> request;
    nlohmann::json transaction;
};
ParsedRequest parseBridgeRequest(const std::string& payload);

std::string okResponse(const nlohmann::json& data, const nlohmann::json& transaction);
std::string errorResponse(const Error& error, const nlohmann::json& transaction);

}  // namespace lockhub
