// The one way app code turns JSON into text. nlohmann::json throws on invalid UTF-8 (a lock name
// or a user name from a foreign source); thrown on the loop that would be an app fault, so every
// payload is serialised here, with invalid sequences replaced by U+FFFD.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace lockhub {

std::string toJson(const nlohmann::json& value);
std::string toJson(const nlohmann::ordered_json& value);

}  // namespace lockhub
