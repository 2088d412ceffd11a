#include "ctl/Requests.h"

namespace lockhub::ctl {

using nlohmann::json;

std::optional<Outcome<json>> matchResponse(const std::string& payload,
                                           const std::string& transaction) {
    const auto response = json::parse(payload, nullptr, false);
    if (!response.is_object() || response.value("transaction", json()) != transaction) {
        return std::nullopt;
    }
    if (response.value("status", "") == "ok") {
        return Outcome<json>(response.value("data", json::object()));
    }
    const auto error = response.value("error", json::object());
    return Outcome<json>(failure(
        Exit::Failed, error.value("code", "error") + ": " + error.value("message", payload)));
}

Failure noAnswer(const std::string& what, std::chrono::milliseconds timeout) {
    return Failure{Exit::NoAnswer,
                   "no answer from lockhubd to " + what + " within " +
                       std::to_string((timeout.count() + 999) / 1000) +
                       " s (is it running and connected to this broker? --timeout waits longer)"};
}

Outcome<json> request(BridgeClient& client, const std::string& op, json body,
                      std::chrono::milliseconds timeout, const Waiting& waiting) {
    const std::string responseTopic = client.topic("bridge/response/" + op);
    for (const auto& filter : waiting.filters) {
        if (auto ok = client.subscribe(filter); !ok) {
            return tl::unexpected(ok.error());
        }
    }
    if (auto ok = client.subscribe(responseTopic); !ok) {
        return tl::unexpected(ok.error());
    }
    // A caller that ties later messages to this request brings its own (codes verify --unlock).
    const std::string transaction = body.contains("transaction")
                                        ? body["transaction"].get<std::string>()
                                        : client.newTransaction();
    body["transaction"] = transaction;
    if (auto ok = client.publish(client.topic("bridge/request/" + op), body.dump()); !ok) {
        return tl::unexpected(ok.error());
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool interruptHandled = false;
    while (true) {
        auto message = client.next(deadline);
        if (!message) {
            return tl::unexpected(message.error());
        }
        if (!*message) {
            if (!interrupted()) {
                return tl::unexpected(noAnswer(op, timeout));
            }
            if (!waiting.onInterrupt || interruptHandled) {
                return failure(Exit::Failed, "interrupted while waiting for " + op);
            }
            interruptHandled = true;
            clearInterrupt();
            waiting.onInterrupt();
            continue;
        }
        if ((*message)->topic == responseTopic) {
            if (auto response = matchResponse((*message)->payload, transaction)) {
                return *response;
            }
        } else if (waiting.onMessage) {
            waiting.onMessage(**message);
        }
    }
}

}  // namespace lockhub::ctl
