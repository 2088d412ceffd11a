#include "app/CloudTopics.h"

namespace lockhub {

std::optional<std::string> upstreamEventTopic(std::string_view topic, std::string_view localBase,
                                              std::string_view upstreamBase) {
    constexpr std::string_view kEvent = "/event";
    if (!topic.starts_with(localBase) || topic.size() <= localBase.size() + kEvent.size() + 1 ||
        topic[localBase.size()] != '/' || !topic.ends_with(kEvent)) {
        return std::nullopt;
    }
    // One level between the base and "event": a lock's topic (which never holds a slash).
    const auto lock =
        topic.substr(localBase.size() + 1, topic.size() - localBase.size() - 1 - kEvent.size());
    if (lock.find('/') != std::string_view::npos || lock == "bridge") {
        return std::nullopt;
    }
    return std::string(upstreamBase) + "/" + std::string(lock) + std::string(kEvent);
}

}  // namespace lockhub
