// Which bridge operations the configuration refuses (access.denied_ops, issue 10): an op name
// ("lock/remove"), a family ("credential/*": every op under credential/) or "*" (all). A
// refused request answers `forbidden` and is audited; the op never runs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/Error.h"

namespace lockhub {

// "*" matches every op, "a/*" every op that starts with "a/", anything else only itself.
bool opMatches(std::string_view pattern, std::string_view op);

class AccessPolicy {
public:
    AccessPolicy() = default;  // refuses nothing

    // Each pattern must match a registered op, so a typo cannot leave an op open that the
    // operator meant to close: otherwise a Config error naming the entry
    // (/access/denied_ops/<i>) and the ops there are.
    static Result<AccessPolicy> make(const std::vector<std::string>& deniedOps,
                                     const std::vector<std::string>& operations);

    bool denies(std::string_view op) const;

private:
    explicit AccessPolicy(std::vector<std::string> patterns) : patterns_(std::move(patterns)) {}

    std::vector<std::string> patterns_;
};

}  // namespace lockhub
