#include "app/RequestSource.h"

#include <algorithm>

#include "app/Utf8.h"

namespace lockhub {
namespace {

bool usable(const std::string& name) {
    return !name.empty() && name.size() <= kMaxSourceBytes && isValidUtf8(name) &&
           std::none_of(name.begin(), name.end(),
                        [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

}  // namespace

std::string requestSource(const ports::Broker::Origin& origin) {
    for (const auto& [name, value] : origin.userProperties) {
        if (name == "actor" && usable(value)) {
            return value;
        }
    }
    if (origin.clientId && usable(*origin.clientId)) {
        return *origin.clientId;
    }
    return "mqtt";
}

}  // namespace lockhub
