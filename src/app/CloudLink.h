// The optional upstream (issue 11 §9; docs/codes.md "Issuer modes and the cloud link"): a second
// broker connection under `<prefix>/<hub id>/…` with a retained state and a heartbeat, the link
// state that bridge/info shows, the mirror of the hub's events (a second OutboxPump over the
// cloud's own outbox, so a down upstream never holds up local delivery), and, with
// `codes.issuer = "cloud"`, `code/issue` forwarded upstream while the link is up. When the link is
// down, or the upstream does not answer within the timeout, the hub issues the code itself
// (CodeService, marked issued_offline) and journals it to the upstream through the mirror, which
// keeps the entry until the upstream acknowledged it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "app/BridgeService.h"
#include "app/OutboxPump.h"
#include "domain/Error.h"
#include "ports/Broker.h"
#include "ports/Scheduler.h"

namespace lockhub {

struct CloudLinkOptions {
    std::string upstreamBase;  // `<cloud.topic_prefix>/<hub id>`
    std::string hubId;
    // codes.issuer "cloud": code/issue goes upstream first.
    bool cloudIssues = false;
    std::chrono::milliseconds timeout{10000};    // cloud.timeout_s
    std::chrono::milliseconds heartbeat{60000};  // cloud.heartbeat_s
};

class CloudLink {
public:
    // code/issue answered by the hub on the cloud's behalf (CodeService::issue with offline set).
    using IssueLocally = std::function<Result<nlohmann::json>(const nlohmann::json& body)>;

    // `mirror` drains the cloud's outbox to `upstream`. With cloudIssues, the link takes over
    // the bridge's code/issue (registered after CodeService's, it replaces it).
    CloudLink(CloudLinkOptions options, ports::Broker& upstream, ports::Scheduler& scheduler,
              OutboxPump& mirror, BridgeService& bridge, IssueLocally issueLocally);
    ~CloudLink();
    CloudLink(const CloudLink&) = delete;
    CloudLink& operator=(const CloudLink&) = delete;

    // Wires the upstream's callbacks and connects; call once.
    void start();
    // Retained "offline" (the will covers an unclean end), then a clean disconnect.
    void stop(std::chrono::milliseconds deadline);

    bool up() const { return up_; }
    // bridge/info's `cloud`: {"state": "up"|"down", "since": ISO UTC}.
    nlohmann::json info() const;
    // Called whenever the link goes up or down (the daemon republishes bridge/info).
    void onChanged(std::function<void()> changed) { changed_ = std::move(changed); }
    // The store copied events into the cloud's outbox: send them.
    void mirrored() { mirror_.stored(); }

    std::string stateTopic() const { return options_.upstreamBase + "/state"; }

private:
    struct Pending {
        nlohmann::json body;
        BridgeService::Responder respond;
        ports::Scheduler::TimerId timer = 0;
    };

    void connected();
    void disconnected(const std::string& reason);
    void setUp(bool up);
    void heartbeat();
    void message(const std::string& topic, const std::string& payload);
    void issue(const nlohmann::json& body, BridgeService::Responder respond);
    // The hub issues (the link is down or the upstream silent) and journals what it did.
    void issueHere(const nlohmann::json& body, const BridgeService::Responder& respond,
                   const char* reason);
    void journal(const nlohmann::json& issued, const char* reason);
    std::string nextTransaction();
    std::string now() const;

    CloudLinkOptions options_;
    ports::Broker& upstream_;
    ports::Scheduler& scheduler_;
    OutboxPump& mirror_;
    IssueLocally issueLocally_;
    std::function<void()> changed_;
    bool up_ = false;
    std::string since_;
    std::uint64_t session_ = 0;  // bumped per connection, so late SUBACKs of an old one are ignored
    std::uint64_t transactions_ = 0;
    std::map<std::string, Pending, std::less<>> pending_;
    ports::Scheduler::TimerId heartbeatTimer_ = 0;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lockhub
