#include "app/AccessPolicy.h"

#include <algorithm>

namespace lockhub {

bool opMatches(std::string_view pattern, std::string_view op) {
    if (pattern == "*") {
        return true;
    }
    if (pattern.ends_with("/*")) {
        return op.starts_with(pattern.substr(0, pattern.size() - 1));
    }
    return pattern == op;
}

Result<AccessPolicy> AccessPolicy::make(const std::vector<std::string>& deniedOps,
                                        const std::vector<std::string>& operations) {
    for (std::size_t i = 0; i < deniedOps.size(); ++i) {
        const auto& pattern = deniedOps[i];
        const bool matchesOne = std::any_of(operations.begin(), operations.end(),
                                            [&](const auto& op) { return opMatches(pattern, op); });
        if (matchesOne) {
            continue;
        }
        std::string known;
        for (const auto& op : operations) {
            known.append(known.empty() ? "" : ", ").append(op);
        }
        return fail(Errc::Config, "/access/denied_ops/" + std::to_string(i) + ": \"" + pattern +
                                      "\" names no operation; there are: " + known);
    }
    return AccessPolicy(deniedOps);
}

bool AccessPolicy::denies(std::string_view op) const {
    return std::any_of(patterns_.begin(), patterns_.end(),
                       [op](const auto& pattern) { return opMatches(pattern, op); });
}

}  // namespace lockhub
