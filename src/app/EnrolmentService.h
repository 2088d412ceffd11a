// Enrolment of a credential through the lock (docs/mqtt-api.md "credential/enrol"): the profile's
// unlock_method_create DP (DP 1, reference §2.3) starts it, the lock reports each step (a
// fingerprint takes several touches) and finally the new credential's hardware id or a reason it
// failed, and the hub assigns that id to the user in the UserDirectory. Every step is published as
// an `enrol_progress` event on `<lock>/event` (QoS 1, not retained, not stored: a record of the
// lock's history it is not). One enrolment per lock at a time; its link is held up while it runs,
// so a battery lock neither sleeps nor waits for its poll. Cancel (`credential/enrol_cancel`) and
// the request's timeout stop it at the lock too (DP 1 stage cancel). Reports count only after the
// start write was acknowledged and only if they name the enrolment's credential type and member.
// A password's PIN is sent and forgotten; only its keyed hash goes with the credential, so a
// remote unlock that must carry a code can take it (access.require_code_for_unlock).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/BridgeService.h"
#include "app/CommandReplies.h"
#include "app/LockRegistry.h"
#include "app/UserDirectory.h"
#include "ports/Broker.h"
#include "ports/CodeHasher.h"
#include "ports/Scheduler.h"

namespace lockhub {

class EnrolmentService final : public CommandReplies {
public:
    EnrolmentService(std::string baseTopic, LockRegistry& registry, UserDirectory& users,
                     const ports::CodeHasher& hasher, ports::Broker& broker,
                     ports::Scheduler& scheduler, BridgeService& bridge);
    ~EnrolmentService() override;
    EnrolmentService(const EnrolmentService&) = delete;
    EnrolmentService& operator=(const EnrolmentService&) = delete;

    void onReply(PairedLock& lock, std::uint8_t dp, const domain::CommandReply& reply) override;

private:
    struct Enrolment {
        std::int64_t id = 0;
        std::int64_t lockId = 0;
        std::string lockTopic;
        std::uint8_t dp = 0;
        domain::UnlockMethod method = domain::UnlockMethod::Password;
        domain::CredentialType type = domain::CredentialType::Password;
        ports::User user;
        std::vector<std::uint8_t> pinHash;  // a password's
        BridgeService::Responder respond;
        bool written = false;  // the lock acknowledged the start write
        std::optional<int> count;
        ports::Scheduler::TimerId deadline = 0;
    };

    void enrol(const nlohmann::json& body, BridgeService::Responder respond);
    Result<nlohmann::json> cancel(const nlohmann::json& body);
    void written(std::int64_t lockId, std::int64_t id, const CommandResult& result);
    void progress(Enrolment& enrolment, const domain::CreateReport& report,
                  const std::string& reason);
    // Stops the enrolment at the lock (DP 1 stage cancel) and ends it with `stage` and `error`.
    void stopAtLock(std::int64_t lockId, const std::string& stage, const Error& error);
    // Ends it: the last event, the link's hold released, the request answered.
    void finish(std::int64_t lockId, const std::string& stage, const Result<nlohmann::json>& result,
                std::optional<std::int64_t> credential = std::nullopt,
                std::optional<std::string> reason = std::nullopt);
    void publish(const Enrolment& enrolment, const std::string& stage,
                 std::optional<std::int64_t> credential, std::optional<std::string> reason);

    std::string baseTopic_;
    LockRegistry& registry_;
    UserDirectory& users_;
    const ports::CodeHasher& hasher_;
    ports::Broker& broker_;
    ports::Scheduler& scheduler_;
    std::map<std::int64_t, Enrolment> running_;  // by lock id
    std::int64_t nextId_ = 1;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lockhub
