// Which fields of which requests and responses carry a secret (design §4): the hub opens the
// first when they arrive sealed (SealedFields), lockhubctl seals them; the second are sealed to
// the request's `reply_key`. One table for both sides, so they cannot disagree. Top-level keys.
#pragma once

#include <string_view>
#include <vector>

namespace lockhub {

// The pseudo-op of `<lock>/set` in these tables.
inline constexpr std::string_view kSetTopicOp = "set";

// Secret fields of an op's request; empty for an op without any.
inline std::vector<std::string_view> secretRequestFields(std::string_view op) {
    if (op == "lock/pair") {
        return {"local_key"};
    }
    if (op == "credential/enrol") {
        return {"pin"};
    }
    if (op == "code/verify" || op == kSetTopicOp) {
        return {"code"};
    }
    return {};
}

// Secret fields of an op's response data; an op listed here accepts `reply_key`.
inline std::vector<std::string_view> secretResponseFields(std::string_view op) {
    if (op == "code/issue" || op == "code/revoke") {
        return {"code"};
    }
    return {};
}

}  // namespace lockhub
