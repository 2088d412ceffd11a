#include "app/BridgeService.h"

#include "app/AuditLog.h"
#include "app/BridgeRequest.h"
#include "app/Json.h"
#include "app/Log.h"
#include "app/RequestSource.h"

namespace lockhub {
namespace {

constexpr std::string_view kBridgeTag = "bridge";

// The `lock` a request or an answer names (lock/pair's answer names the topic it derived).
std::optional<std::string> lockOf(const nlohmann::json& doc) {
    if (doc.is_object()) {
        if (auto it = doc.find("lock"); it != doc.end() && it->is_string()) {
            return it->get<std::string>();
        }
    }
    return std::nullopt;
}

}  // namespace

BridgeService::BridgeService(ports::Broker& broker, ports::Scheduler& scheduler,
                             std::string baseTopic, InfoSource info)
    : broker_(broker),
      scheduler_(scheduler),
      base_(std::move(baseTopic)),
      requestPrefix_(base_ + "/bridge/request/"),
      info_(std::move(info)) {}

void BridgeService::addOperation(const std::string& name, Operation operation) {
    addAsyncOperation(
        name, [operation = std::move(operation)](const nlohmann::json& body, Responder respond) {
            respond(operation(body));
        });
}

void BridgeService::addAsyncOperation(const std::string& name, AsyncOperation operation) {
    operations_[name] = std::move(operation);
}

void BridgeService::addSubscription(const std::string& filter, TopicHandler handler) {
    subscriptions_.emplace_back(filter, std::move(handler));
}

void BridgeService::guard(AccessPolicy policy, AuditLog* audit) {
    policy_ = std::move(policy);
    audit_ = audit;
}

std::vector<std::string> BridgeService::operationNames() const {
    std::vector<std::string> names;
    for (const auto& [name, _] : operations_) {
        names.push_back(name);
    }
    return names;
}

void BridgeService::audit(const std::string& source, const std::string& op,
                          const std::optional<std::string>& lock, const std::string& result) {
    if (audit_ != nullptr) {
        audit_->record(source, op, lock, result);
    }
}

void BridgeService::onConnected(std::function<void()> connected) {
    connectedHooks_.push_back(std::move(connected));
}

void BridgeService::attach() {
    broker_.setHandlers({
        .connected = [this] { onConnected(); },
        .disconnected =
            [](const std::string& reason) {
                log::warning(kBridgeTag, "broker connection lost: " + reason);
            },
        .message = [this](
                       const std::string& topic, const std::string& payload,
                       const ports::Broker::Origin& origin) { onMessage(topic, payload, origin); },
    });
}

void BridgeService::onConnected() {
    // "online" promises that requests are served, so it waits for every subscription's SUBACK;
    // a request sent earlier would be lost by the broker.
    auto pending = std::make_shared<std::size_t>(subscriptions_.size() + 1);
    auto subscribed = [this, pending](const std::string& filter) {
        return [this, pending, filter](bool ok) {
            if (!ok) {
                log::error(kBridgeTag, "the broker refused the subscription to " + filter);
            }
            if (--*pending == 0) {
                announceOnline();
            }
        };
    };
    broker_.subscribe(requestPrefix_ + "#", subscribed(requestPrefix_ + "#"));
    for (const auto& [filter, handler] : subscriptions_) {
        broker_.subscribe(filter, subscribed(filter));
    }
}

void BridgeService::announceOnline() {
    broker_.publish(stateTopic(), "online", 1, true);
    publishInfo();
    for (const auto& hook : connectedHooks_) {
        hook();
    }
}

void BridgeService::publishInfo() {
    auto doc = info_();
    if (sealed_ != nullptr) {
        doc["seal_key"] = sealed_->publicKey();
    }
    broker_.publish(base_ + "/bridge/info", toJson(doc), 1, true);
}

void BridgeService::publishOffline(ports::Broker::Completion done) {
    broker_.publish(stateTopic(), "offline", 1, true, std::move(done));
}

void BridgeService::onMessage(const std::string& topic, const std::string& payload,
                              const ports::Broker::Origin& origin) {
    // Handlers run synchronously, so source() names this message's sender while they do.
    source_ = requestSource(origin);
    struct Reset {
        std::string& source;
        ~Reset() { source = "mqtt"; }
    } reset{source_};
    if (topic.starts_with(requestPrefix_)) {
        handleRequest(topic.substr(requestPrefix_.size()), payload);
        return;
    }
    for (const auto& [filter, handler] : subscriptions_) {
        if (handler(topic, payload)) {
            return;
        }
    }
}

void BridgeService::handleRequest(const std::string& op, const std::string& payload) {
    auto parsed = parseBridgeRequest(payload);
    auto it = operations_.find(op);
    if (it == operations_.end()) {
        if (!parsed.request) {
            return reply(op, parsed.transaction, tl::unexpected(parsed.request.error()),
                         std::nullopt);
        }
        std::string known;
        for (const auto& [name, _] : operations_) {
            known.append(known.empty() ? "" : ", ").append(name);
        }
        return reply(op, parsed.transaction,
                     fail(Errc::UnknownOp, "unknown operation \"" + op + "\"; supported: " + known),
                     std::nullopt);
    }
    static const nlohmann::json kNoBody = nlohmann::json::object();
    const nlohmann::json& body = parsed.request ? parsed.request->body : kNoBody;
    // Refused before the request is validated: a caller who may not use an op learns nothing
    // about it.
    if (policy_.denies(op)) {
        return reply(op, parsed.transaction,
                     fail(Errc::Forbidden,
                          "the operation \"" + op + "\" is disabled here (access.denied_ops)"),
                     Audited{source_, lockOf(body)});
    }
    std::optional<Audited> audited;
    if (!isReadOnlyOp(op)) {
        audited = Audited{source_, lockOf(body)};
    }
    if (!parsed.request) {
        return reply(op, parsed.transaction, tl::unexpected(parsed.request.error()), audited);
    }
    if (!parsed.transaction.is_null()) {
        const std::string key = op + "\n" + toJson(parsed.transaction);
        switch (transactions_.check(key, scheduler_.now())) {
            case TransactionCache::Seen::New:
                break;
            case TransactionCache::Seen::Running:
                return;  // answered when the first one finishes
            case TransactionCache::Seen::Done:
                broker_.publish(base_ + "/bridge/response/" + op, *transactions_.result(key), 1,
                                false);
                return;
        }
    }
    SealedFields::Opened opened{body, std::nullopt};
    if (sealed_ != nullptr) {
        auto unsealed = sealed_->open(op, body);
        if (!unsealed) {
            return reply(op, parsed.transaction, tl::unexpected(unsealed.error()), audited);
        }
        opened = std::move(*unsealed);
    }
    it->second(opened.body, [this, op, transaction = parsed.transaction, audited,
                             replyKey = opened.replyKey](const Result<nlohmann::json>& result) {
        auto withLock = audited;
        if (withLock && result) {
            if (auto answered = lockOf(*result)) {
                withLock->lock = answered;
            }
        }
        if (result && replyKey) {
            return reply(op, transaction, sealed_->sealResponse(op, *result, *replyKey), withLock);
        }
        reply(op, transaction, result, withLock);
    });
}

void BridgeService::reply(const std::string& op, const nlohmann::json& transaction,
                          const Result<nlohmann::json>& result,
                          const std::optional<Audited>& audited) {
    if (audited) {
        audit(audited->source, op, audited->lock,
              result ? "ok" : std::string(errcName(result.error().code)));
    }
    const std::string topic = base_ + "/bridge/response/" + op;
    if (!result) {
        log::info(kBridgeTag, "request " + op + " failed: " + result.error().message,
                  {{"OP", op}, {"ERROR_CODE", std::string(errcName(result.error().code))}});
    }
    const std::string text =
        result ? okResponse(*result, transaction) : errorResponse(result.error(), transaction);
    int copies = 1;
    if (!transaction.is_null()) {
        copies += transactions_.finish(op + "\n" + toJson(transaction), text, scheduler_.now());
    }
    for (int i = 0; i < copies; ++i) {
        broker_.publish(topic, text, 1, false);
    }
}

}  // namespace lockhub
