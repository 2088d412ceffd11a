#include "app/BridgeService.h"

#include "app/BridgeRequest.h"
#include "app/Log.h"

namespace lockhub {
namespace {

constexpr std::string_view kTag = "bridge";

}  // namespace

BridgeService::BridgeService(ports::Broker& broker, std::string baseTopic, InfoSource info)
    : broker_(broker),
      base_(std::move(baseTopic)),
      requestPrefix_(base_ + "/bridge/request/"),
      info_(std::move(info)) {}

void BridgeService::addOperation(const std::string& name, Operation operation) {
    operations_[name] = std::move(operation);
}

void BridgeService::attach() {
    broker_.setHandlers({
        .connected = [this] { onConnected(); },
        .disconnected =
            [](const std::string& reason) {
                log::warning(kTag, "broker connection lost: " + reason);
            },
        .message = [this](const std::string& topic,
                          const std::string& payload) { onMessage(topic, payload); },
    });
}

void BridgeService::onConnected() {
    broker_.subscribe(requestPrefix_ + "#");
    broker_.publish(stateTopic(), "online", 1, true);
    publishInfo();
}

void BridgeService::publishInfo() {
    broker_.publish(base_ + "/bridge/info", info_().dump(), 1, true);
}

void BridgeService::publishOffline(ports::Broker::Completion done) {
    broker_.publish(stateTopic(), "offline", 1, true, std::move(done));
}

void BridgeService::onMessage(const std::string& topic, const std::string& payload) {
    if (topic.starts_with(requestPrefix_)) {
        handleRequest(topic.substr(requestPrefix_.size()), payload);
    }
}

void BridgeService::handleRequest(const std::string& op, const std::string& payload) {
    ++served_;
    const std::string responseTopic = base_ + "/bridge/response/" + op;
    auto parsed = parseBridgeRequest(payload);
    auto respondError = [&](const Error& error) {
        log::info(kTag, "request " + op + " failed: " + error.message,
                  {{"OP", op}, {"ERROR_CODE", std::string(errcName(error.code))}});
        broker_.publish(responseTopic, errorResponse(error, parsed.transaction), 1, false);
    };
    if (!parsed.request) {
        return respondError(parsed.request.error());
    }
    auto it = operations_.find(op);
    if (it == operations_.end()) {
        std::string known;
        for (const auto& [name, _] : operations_) {
            known.append(known.empty() ? "" : ", ").append(name);
        }
        return respondError(
            Error{Errc::UnknownOp, "unknown operation \"" + op + "\"; supported: " + known});
    }
    auto result = it->second(parsed.request->body);
    if (!result) {
        return respondError(result.error());
    }
    broker_.publish(responseTopic, okResponse(*result, parsed.transaction), 1, false);
}

}  // namespace lockhub
