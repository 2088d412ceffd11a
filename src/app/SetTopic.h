// `<base>/<lock>/set`, the command topic that CommandService and UnlockRequests both read.
#pragma once

#include <optional>
#include <string>

namespace lockhub {

// The lock's topic name in `<base>/<lock>/set`, or nullopt for any other topic (the bridge's own
// topics included).
inline std::optional<std::string> lockOfSetTopic(const std::string& base,
                                                 const std::string& topic) {
    const std::string prefix = base + "/";
    const std::string suffix = "/set";
    if (!topic.starts_with(prefix) || !topic.ends_with(suffix) ||
        topic.size() <= prefix.size() + suffix.size()) {
        return std::nullopt;
    }
    std::string name = topic.substr(prefix.size(), topic.size() - prefix.size() - suffix.size());
    if (name.find('/') != std::string::npos || name == "bridge") {
        return std::nullopt;
    }
    return name;
}

}  // namespace lockhub
