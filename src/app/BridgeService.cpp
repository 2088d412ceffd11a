#include "app/BridgeService.h"

#include "app/BridgeRequest.h"
#include "app/Json.h"
#include "app/Log.h"

namespace lockhub {
namespace {

constexpr std::string_view kTag = "bridge";

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

void BridgeService::onConnected(std::function<void()> connected) {
    connectedHooks_.push_back(std::move(connected));
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
    // "online" promises that requests are served, so it waits for every subscription's SUBACK;
    // a request sent earlier would be lost by the broker.
    auto pending = std::make_shared<std::size_t>(subscriptions_.size() + 1);
    auto subscribed = [this, pending](const std::string& filter) {
        return [this, pending, filter](bool ok) {
            if (!ok) {
                log::error(kTag, "the broker refused the subscription to " + filter);
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
    broker_.publish(base_ + "/bridge/info", toJson(info_()), 1, true);
}

void BridgeService::publishOffline(ports::Broker::Completion done) {
    broker_.publish(stateTopic(), "offline", 1, true, std::move(done));
}

void BridgeService::onMessage(const std::string& topic, const std::string& payload) {
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
    if (!parsed.request) {
        return reply(op, parsed.transaction, tl::unexpected(parsed.request.error()));
    }
    auto it = operations_.find(op);
    if (it == operations_.end()) {
        std::string known;
        for (const auto& [name, _] : operations_) {
            known.append(known.empty() ? "" : ", ").append(name);
        }
        return reply(
            op, parsed.transaction,
            fail(Errc::UnknownOp, "unknown operation \"" + op + "\"; supported: " + known));
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
    it->second(parsed.request->body,
               [this, op, transaction = parsed.transaction](const Result<nlohmann::json>& result) {
                   reply(op, transaction, result);
               });
}

void BridgeService::reply(const std::string& op, const nlohmann::json& transaction,
                          const Result<nlohmann::json>& result) {
    const std::string topic = base_ + "/bridge/response/" + op;
    if (!result) {
        log::info(kTag, "request " + op + " failed: " + result.error().message,
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
