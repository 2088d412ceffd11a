// The bridge's own MQTT surface (design §4): availability with a will, the retained info document,
// and the request/response API that every other use case plugs its operations into: it routes
// each request to the service that registered the operation, validates the envelope, and answers
// a `transaction` repeated within a minute with the first answer instead of running it again.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/AccessPolicy.h"
#include "app/SealedFields.h"
#include "app/TransactionCache.h"
#include "domain/Error.h"
#include "ports/Broker.h"
#include "ports/Scheduler.h"

namespace lockhub {

class AuditLog;

class BridgeService {
public:
    using Operation = std::function<Result<nlohmann::json>(const nlohmann::json& body)>;
    // For operations that finish later (pairing talks to a lock first): call `respond` once.
    using Responder = std::function<void(const Result<nlohmann::json>&)>;
    using AsyncOperation = std::function<void(const nlohmann::json& body, Responder respond)>;
    using InfoSource = std::function<nlohmann::json()>;
    // Returns true when it consumed the message.
    using TopicHandler = std::function<bool(const std::string& topic, const std::string& payload)>;

    BridgeService(ports::Broker& broker, ports::Scheduler& scheduler, std::string baseTopic,
                  InfoSource info);

    // Registers `<base>/bridge/request/<name>`; `body` is the validated request object, including
    // its optional "transaction" key.
    void addOperation(const std::string& name, Operation operation);
    void addAsyncOperation(const std::string& name, AsyncOperation operation);
    // Other use cases' topics: `filter` is subscribed on every connect, `handler` sees every
    // message that is not a bridge request, and `connected` runs after the bridge is online.
    void addSubscription(const std::string& filter, TopicHandler handler);
    void onConnected(std::function<void()> connected);

    // Wires the broker's callbacks; call once before Broker::start().
    void attach();

    // Access control and the audit (issue 10), once every service registered its ops: requests
    // for an op `policy` denies answer `forbidden`; with `audit`, every request for an op that
    // is not read-only (isReadOnlyOp) and every refusal is recorded with its source and result.
    void guard(AccessPolicy policy, AuditLog* audit);
    std::vector<std::string> operationNames() const;
    // Sealed secrets (SealedFields): every request's secret fields are opened before its op runs,
    // secret response fields are sealed to its reply_key, and bridge/info carries `seal_key`.
    void sealSecrets(const SealedFields& sealed) { sealed_ = &sealed; }
    // For the other topics that take secrets (`<lock>/set`); null without sealing.
    const SealedFields* sealedFields() const { return sealed_; }
    // The source (requestSource) of the message being dispatched, for handlers that audit
    // later; "mqtt" outside a dispatch.
    const std::string& source() const { return source_; }
    // Records an entry in the audit when there is one (commands audit through this).
    void audit(const std::string& source, const std::string& op,
               const std::optional<std::string>& lock, const std::string& result);

    void publishInfo();
    // Retained "offline" sent before a clean shutdown (the will covers unclean ones).
    void publishOffline(ports::Broker::Completion done = nullptr);

    std::string stateTopic() const { return base_ + "/bridge/state"; }

private:
    void onConnected();
    void announceOnline();
    void onMessage(const std::string& topic, const std::string& payload,
                   const ports::Broker::Origin& origin);
    void handleRequest(const std::string& op, const std::string& payload);
    // Who asked and about which lock, for the audit of the reply; nullopt: not audited.
    struct Audited {
        std::string source;
        std::optional<std::string> lock;
    };
    void reply(const std::string& op, const nlohmann::json& transaction,
               const Result<nlohmann::json>& result, const std::optional<Audited>& audited);

    ports::Broker& broker_;
    ports::Scheduler& scheduler_;
    std::string base_;
    std::string requestPrefix_;
    InfoSource info_;
    std::map<std::string, AsyncOperation, std::less<>> operations_;
    std::vector<std::pair<std::string, TopicHandler>> subscriptions_;
    std::vector<std::function<void()>> connectedHooks_;
    TransactionCache transactions_;
    AccessPolicy policy_;
    AuditLog* audit_ = nullptr;
    const SealedFields* sealed_ = nullptr;
    std::string source_ = "mqtt";
};

}  // namespace lockhub
