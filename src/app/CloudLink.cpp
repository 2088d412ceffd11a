#include "app/CloudLink.h"

#include "app/Json.h"
#include "app/LockMessages.h"
#include "app/Log.h"

namespace lockhub {
namespace {

constexpr std::string_view kCloudTag = "cloud";
constexpr const char* kLinkDown = "link_down";
constexpr const char* kNoAnswer = "no_answer";

using json = nlohmann::json;

// What the journal tells the upstream about a code the hub issued: its metadata, never the
// digits (nor anything derived from them).
json journalCode(const json& issued) {
    json code = json::object();
    for (const char* key :
         {"id", "lock", "type", "name", "user", "window", "serial", "state", "issued_at"}) {
        if (auto it = issued.find(key); it != issued.end()) {
            code[key] = *it;
        }
    }
    return code;
}

}  // namespace

CloudLink::CloudLink(CloudLinkOptions options, ports::Broker& upstream, ports::Scheduler& scheduler,
                     OutboxPump& mirror, BridgeService& bridge, IssueLocally issueLocally)
    : options_(std::move(options)),
      upstream_(upstream),
      scheduler_(scheduler),
      mirror_(mirror),
      issueLocally_(std::move(issueLocally)),
      since_(now()) {
    if (options_.cloudIssues) {
        bridge.addAsyncOperation("code/issue",
                                 [this](const json& body, BridgeService::Responder respond) {
                                     issue(body, std::move(respond));
                                 });
    }
}

CloudLink::~CloudLink() {
    *alive_ = false;
    scheduler_.cancel(heartbeatTimer_);
    for (auto& [_, pending] : pending_) {
        scheduler_.cancel(pending.timer);
    }
}

std::string CloudLink::now() const {
    return isoUtcSeconds(scheduler_.unixSeconds());
}

void CloudLink::start() {
    upstream_.setHandlers({
        .connected = [this] { connected(); },
        .disconnected = [this](const std::string& reason) { disconnected(reason); },
        .message = [this](const std::string& topic, const std::string& payload,
                          const ports::Broker::Origin&) { message(topic, payload); },
    });
    upstream_.start();
}

void CloudLink::stop(std::chrono::milliseconds deadline) {
    if (upstream_.connected()) {
        upstream_.publish(stateTopic(), "offline", 1, true);
    }
    upstream_.stop(deadline);
}

json CloudLink::info() const {
    return json{{"state", up_ ? "up" : "down"}, {"since", since_}};
}

void CloudLink::connected() {
    const auto session = ++session_;
    std::weak_ptr<bool> alive = alive_;
    // Up once the answers to forwarded requests can arrive: a request sent before the SUBACK
    // could have its answer dropped by the broker.
    upstream_.subscribe(options_.upstreamBase + "/response/code/issue",
                        [this, alive, session](bool ok) {
                            if (alive.expired() || session != session_ || !upstream_.connected()) {
                                return;
                            }
                            if (!ok) {
                                log::error(kCloudTag,
                                           "the upstream refused the subscription to its "
                                           "code/issue answers");
                            }
                            upstream_.publish(stateTopic(), "online", 1, true);
                            setUp(true);
                            heartbeat();
                            mirror_.connectionRestarted();
                        });
}

void CloudLink::disconnected(const std::string& reason) {
    log::warning(kCloudTag, "upstream connection lost: " + reason);
    ++session_;
    scheduler_.cancel(heartbeatTimer_);
    heartbeatTimer_ = 0;
    setUp(false);
    // Their answers would come on a connection that no longer exists.
    auto waiting = std::move(pending_);
    pending_.clear();
    for (auto& [_, pending] : waiting) {
        scheduler_.cancel(pending.timer);
        issueHere(pending.body, pending.respond, kLinkDown);
    }
}

void CloudLink::setUp(bool up) {
    if (up == up_) {
        return;
    }
    up_ = up;
    since_ = now();
    log::info(kCloudTag, std::string("cloud link ") + (up ? "up" : "down"));
    if (changed_) {
        changed_();
    }
}

void CloudLink::heartbeat() {
    upstream_.publish(options_.upstreamBase + "/heartbeat",
                      toJson(json{{"hub_id", options_.hubId}, {"at", now()}}), 0, false);
    std::weak_ptr<bool> alive = alive_;
    scheduler_.cancel(heartbeatTimer_);
    heartbeatTimer_ = scheduler_.after(options_.heartbeat, [this, alive] {
        if (!alive.expired()) {
            heartbeatTimer_ = 0;
            heartbeat();
        }
    });
}

std::string CloudLink::nextTransaction() {
    // The time keeps ids of an earlier run of the daemon from matching a late answer now.
    return options_.hubId + "-" + std::to_string(scheduler_.unixMillis()) + "-" +
           std::to_string(++transactions_);
}

void CloudLink::issue(const json& body, BridgeService::Responder respond) {
    if (!up_) {
        issueHere(body, respond, kLinkDown);
        return;
    }
    const std::string transaction = nextTransaction();
    json request = body;
    request["transaction"] = transaction;
    std::weak_ptr<bool> alive = alive_;
    Pending pending{body, std::move(respond), 0};
    pending.timer = scheduler_.after(options_.timeout, [this, alive, transaction] {
        if (alive.expired()) {
            return;
        }
        auto it = pending_.find(transaction);
        if (it == pending_.end()) {
            return;
        }
        auto waited = std::move(it->second);
        pending_.erase(it);
        log::warning(kCloudTag, "the upstream did not answer code/issue in time; issuing here",
                     {{"TRANSACTION", transaction}});
        issueHere(waited.body, waited.respond, kNoAnswer);
    });
    pending_.emplace(transaction, std::move(pending));
    upstream_.publish(options_.upstreamBase + "/request/code/issue", toJson(request), 1, false,
                      [this, alive, transaction](bool delivered) {
                          if (alive.expired() || delivered) {
                              return;
                          }
                          auto it = pending_.find(transaction);
                          if (it == pending_.end()) {
                              return;
                          }
                          auto failed = std::move(it->second);
                          pending_.erase(it);
                          scheduler_.cancel(failed.timer);
                          issueHere(failed.body, failed.respond, kLinkDown);
                      });
}

void CloudLink::message(const std::string& topic, const std::string& payload) {
    if (topic != options_.upstreamBase + "/response/code/issue") {
        return;
    }
    const auto answer = json::parse(payload, nullptr, false);
    const auto transaction = answer.is_object() ? answer.find("transaction") : answer.end();
    if (transaction == answer.end() || !transaction->is_string()) {
        log::warning(kCloudTag, "ignored an upstream code/issue answer without a transaction");
        return;
    }
    auto it = pending_.find(transaction->get<std::string>());
    if (it == pending_.end()) {
        // Late (the hub already issued the code itself and journaled it) or not ours.
        log::info(kCloudTag, "ignored an upstream code/issue answer nobody waits for",
                  {{"TRANSACTION", transaction->get<std::string>()}});
        return;
    }
    const auto status = answer.value("status", std::string());
    const auto data = answer.find("data");
    const auto error = answer.find("error");
    Result<json> relayed = fail(Errc::Internal, "");
    if (status == "ok" && data != answer.end() && data->is_object()) {
        relayed = *data;
    } else if (status == "error" && error != answer.end() && error->is_object()) {
        relayed = fail(Errc::Rejected,
                       "the cloud issuer refused: " + error->value("code", std::string("error")) +
                           ": " + error->value("message", std::string()));
    } else {
        log::warning(kCloudTag, "ignored a malformed upstream code/issue answer",
                     {{"TRANSACTION", transaction->get<std::string>()}});
        return;
    }
    auto answered = std::move(it->second);
    pending_.erase(it);
    scheduler_.cancel(answered.timer);
    answered.respond(relayed);
}

void CloudLink::issueHere(const json& body, const BridgeService::Responder& respond,
                          const char* reason) {
    auto issued = issueLocally_(body);
    if (issued) {
        journal(*issued, reason);
        (*issued)["offline_reason"] = reason;
    }
    respond(issued);
}

void CloudLink::journal(const json& issued, const char* reason) {
    mirror_.enqueue({options_.upstreamBase + "/journal",
                     toJson(json{{"entry", "code_issued_offline"},
                                 {"hub_id", options_.hubId},
                                 {"reason", reason},
                                 {"code", journalCode(issued)}}),
                     1, false});
}

}  // namespace lockhub
