// The bridge's own MQTT surface (design §4): availability with a will, the retained info document,
// and the request/response API that every other use case plugs its operations into.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "domain/Error.h"
#include "ports/Broker.h"

namespace lockhub {

class BridgeService {
public:
    using Operation = std::function<Result<nlohmann::json>(const nlohmann::json& body)>;
    using InfoSource = std::function<nlohmann::json()>;

    BridgeService(ports::Broker& broker, std::string baseTopic, InfoSource info);

    // Registers `<base>/bridge/request/<name>`; `body` is the validated request object, including
    // its optional "transaction" key.
    void addOperation(const std::string& name, Operation operation);

    // Wires the broker's callbacks; call once before Broker::start().
    void attach();

    void publishInfo();
    // Retained "offline" sent before a clean shutdown (the will covers unclean ones).
    void publishOffline(ports::Broker::Completion done = nullptr);

    std::string stateTopic() const { return base_ + "/bridge/state"; }

    std::uint64_t requestsServed() const { return served_; }

private:
    void onConnected();
    void onMessage(const std::string& topic, const std::string& payload);
    void handleRequest(const std::string& op, const std::string& payload);

    ports::Broker& broker_;
    std::string base_;
    std::string requestPrefix_;
    InfoSource info_;
    std::map<std::string, Operation, std::less<>> operations_;
    std::uint64_t served_ = 0;
};

}  // namespace lockhub
