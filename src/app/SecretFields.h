// Which fields of which requests and responses carry a secret (design §4): the hub opens the
// first when they arrive sealed (SealedFields), lockhubctl seals them; the second are sealed to
// the request's `reply_key`. One table for both sides, so they cannot disagree. Top-level keys.
#pragma once

#include <string_view>
#include <vector>

namespace lockhub {

// The pseudo-op of `<lock>/set` in this table.
inline constexpr std::string_view kSetTopicOp = "set";

struct SecretFieldsOfOp {
    std::string_view op;
    std::vector<std::string_view> request;
    std::vector<std::string_view> response;  // non-empty: the op accepts `reply_key`
};

inline const std::vector<SecretFieldsOfOp>& secretFieldTable() {
    static const std::vector<SecretFieldsOfOp> table{
        {"lock/pair", {"local_key"}, {}},
        {"credential/enrol", {"pin"}, {}},
        {"code/verify", {"code"}, {}},
        {kSetTopicOp, {"code"}, {}},
        {"code/issue", {}, {"code"}},
        {"code/revoke", {}, {"code"}},
        {"temp_password/create", {"password"}, {}},
        {"temp_password/modify", {"password"}, {}},
    };
    return table;
}

inline const SecretFieldsOfOp& secretFieldsOf(std::string_view op) {
    static const SecretFieldsOfOp kNone{};
    for (const auto& entry : secretFieldTable()) {
        if (entry.op == op) {
            return entry;
        }
    }
    return kNone;
}

// Secret fields of an op's request; empty for an op without any.
inline const std::vector<std::string_view>& secretRequestFields(std::string_view op) {
    return secretFieldsOf(op).request;
}

// Secret fields of an op's response data; an op listed here accepts `reply_key`.
inline const std::vector<std::string_view>& secretResponseFields(std::string_view op) {
    return secretFieldsOf(op).response;
}

}  // namespace lockhub
