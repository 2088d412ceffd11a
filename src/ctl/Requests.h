// The bridge's request/response protocol (docs/mqtt-api.md): publish to
// `<base>/bridge/request/<op>` with a fresh `transaction`, wait for the response on
// `<base>/bridge/response/<op>` that echoes it. Responses to other callers are skipped.
#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ctl/BridgeClient.h"
#include "ctl/Outcome.h"

namespace lockhub::ctl {

// The response `payload` carries when it answers `transaction`; nullopt for anyone else's.
// An error response becomes a failure with exit status 1 and "code: message".
std::optional<Outcome<nlohmann::json>> matchResponse(const std::string& payload,
                                                     const std::string& transaction);

struct Waiting {
    // Further topics to listen on while waiting; their messages go to `onMessage`.
    std::vector<std::string> filters;
    std::function<void(const Message&)> onMessage;
    // Ctrl-C while waiting: called once, then the wait goes on for the hub's answer. Without it
    // Ctrl-C ends the wait with a failure.
    std::function<void()> onInterrupt;
};

// Sends `body` (an object; a fresh transaction is added unless it has a string one) and returns
// the response data. No answer within `timeout`: exit status 3.
Outcome<nlohmann::json> request(BridgeClient& client, const std::string& op, nlohmann::json body,
                                std::chrono::milliseconds timeout, const Waiting& waiting = {});

// "no answer from lockhubd to <what> within N s …", the exit-3 message.
Failure noAnswer(const std::string& what, std::chrono::milliseconds timeout);

}  // namespace lockhub::ctl
