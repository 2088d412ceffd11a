// MQTT requests through the real router: the hub's services wired against fakes of every port
// (tests/unit/app/ServiceHarness.h) with one paired lock online. The input's first line is the
// topic under the base ("bridge/request/lock/rename", "front/set", ...), the rest its payload, so
// the corpus reaches every operation and every lock topic by name. Every bridge request must get
// a well-formed response, and nothing published may carry the lock's key.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "app/Log.h"
#include "tests/unit/app/ServiceHarness.h"

namespace {

constexpr std::string_view kRequestPrefix = "bridge/request/";
constexpr std::string_view kLocalKey = "a3f6b2c4d5e6f708";  // recordOf()'s key

bool wellFormed(const std::string& payload) {
    const auto doc = nlohmann::json::parse(payload, nullptr, false);
    if (!doc.is_object() || !doc.contains("status")) {
        return false;
    }
    if (doc["status"] == "ok") {
        return doc.contains("data");
    }
    return doc["status"] == "error" && doc["error"].is_object() &&
           doc["error"]["code"].is_string() && !doc["error"]["message"].get<std::string>().empty();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    lockhub::log::setSink([](auto&&...) {});
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto newline = input.find('\n');
    if (newline == std::string_view::npos) {
        return 0;
    }
    const std::string topic(input.substr(0, newline));
    const std::string payload(input.substr(newline + 1));
    if (topic.find_first_of("+#") != std::string::npos) {
        return 0;  // not a topic a client can publish to
    }
    lockhub::test::ServiceHarness hub;
    hub.startWithLock();
    const auto before = hub.broker.published.size();
    hub.broker.deliver("lockhub/" + topic, payload);
    // Long enough for any command, scan or pairing attempt to finish or time out.
    hub.scheduler.advance(std::chrono::minutes(2));
    const auto& published = hub.broker.published;
    bool answered = false;
    const std::string responseTopic =
        "lockhub/bridge/response/" + topic.substr(std::min(topic.size(), kRequestPrefix.size()));
    for (std::size_t i = before; i < published.size(); ++i) {
        // The paired lock's key must never come out, unless the request itself carried it (an
        // error message may quote the op name or a field as sent).
        if (published[i].payload.find(kLocalKey) != std::string::npos &&
            input.find(kLocalKey) == std::string_view::npos) {
            __builtin_trap();
        }
        if (published[i].topic == responseTopic) {
            answered = true;
            if (!wellFormed(published[i].payload)) {
                __builtin_trap();
            }
        }
    }
    if (topic.starts_with(kRequestPrefix) && !answered) {
        __builtin_trap();
    }
    return 0;
}
